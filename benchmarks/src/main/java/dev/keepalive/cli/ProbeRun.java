package dev.keepalive.cli;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.ErrorClass;
import dev.keepalive.agent.Header;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import dev.keepalive.agent.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The probe's round runner (README.md, "probe"): every round through one agent, all of a round's
 * requests issued in one step of the agent's loop, the round complete when every request has ended,
 * then its pause — except after the last round. Each request's end is kept as a small {@link
 * Outcome} (its fields, not the response or the exception), so that a probe of {@link
 * ProbePlan#MAX_REQUESTS} requests fits a small heap. Threading: the caller's thread issues the
 * rounds and blocks on their futures; the agent's loop runs on its own thread.
 */
final class ProbeRun {

  /**
   * How one request ended: a response's fields (status, body length and digest, headers when asked
   * for), or the error that failed it ({@code status} 0, {@code errorClass} set).
   */
  record Outcome(
      int round,
      int index,
      String url,
      int status,
      long bodyLength,
      String bodySha256,
      int localPort,
      boolean reusedSocket,
      Timings timings,
      List<Header> headers,
      ErrorClass errorClass,
      String errorMessage) {

    boolean failed() {
      return errorClass != null;
    }
  }

  /** Every request's outcome, in issue order, and the agent's counters after the last round. */
  record Result(List<Outcome> outcomes, AgentStats stats) {
    long errors() {
      return outcomes.stream().filter(Outcome::failed).count();
    }
  }

  private ProbeRun() {}

  /**
   * @param withHeaders keep each response's headers (for {@code --include-headers})
   */
  static Result run(
      Agent agent,
      List<ProbePlan.Round> rounds,
      Function<String, Request> request,
      boolean withHeaders)
      throws InterruptedException {
    List<Outcome> outcomes = new ArrayList<>();
    for (int round = 0; round < rounds.size(); round++) {
      ProbePlan.Round r = rounds.get(round);
      List<Request> requests = new ArrayList<>(r.urls().size());
      for (String url : r.urls()) {
        requests.add(request.apply(url));
      }
      // one loop step for the whole round, as Node issuing them in one tick
      List<CompletableFuture<Response>> futures = agent.requestAll(requests);
      for (int i = 0; i < futures.size(); i++) {
        outcomes.add(outcome(round, i, r.urls().get(i), futures.get(i), withHeaders));
        futures.set(i, null); // keep the outcome only
      }
      if (round < rounds.size() - 1 && r.pauseMillis() > 0) {
        Thread.sleep(r.pauseMillis());
      }
    }
    return new Result(List.copyOf(outcomes), agent.stats());
  }

  private static Outcome outcome(
      int round, int index, String url, CompletableFuture<Response> f, boolean withHeaders)
      throws InterruptedException {
    try {
      Response r = f.get();
      return new Outcome(
          round,
          index,
          url,
          r.status(),
          r.bodyLength(),
          r.bodySha256(),
          r.localPort(),
          r.reusedSocket(),
          r.timings(),
          withHeaders ? r.headers() : null,
          null,
          null);
    } catch (ExecutionException e) {
      // the agent fails its futures only with AgentException
      AgentException a = (AgentException) e.getCause();
      return new Outcome(
          round,
          index,
          url,
          0,
          0,
          null,
          a.localPort(),
          a.reusedSocket(),
          null,
          null,
          a.errorClass(),
          a.getMessage());
    }
  }
}
