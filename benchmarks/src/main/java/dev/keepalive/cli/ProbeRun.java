package dev.keepalive.cli;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The probe's round runner (README.md, "probe"): every round through one agent, all of a round's
 * requests issued in one step of the agent's loop, the round complete when every request has ended,
 * then its pause — except after the last round. Threading: the caller's thread issues the rounds
 * and blocks on their futures; the agent's loop runs on its own thread.
 */
final class ProbeRun {

  /** How one request ended: a response, or the error that failed it. */
  record Outcome(int round, int index, String url, Response response, AgentException error) {}

  /** Every request's outcome, in issue order, and the agent's counters after the last round. */
  record Result(List<Outcome> outcomes, AgentStats stats) {
    long errors() {
      return outcomes.stream().filter(o -> o.error() != null).count();
    }
  }

  private ProbeRun() {}

  static Result run(Agent agent, List<ProbePlan.Round> rounds, Function<String, Request> request)
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
        outcomes.add(outcome(round, i, r.urls().get(i), futures.get(i)));
      }
      if (round < rounds.size() - 1 && r.pauseMillis() > 0) {
        Thread.sleep(r.pauseMillis());
      }
    }
    return new Result(List.copyOf(outcomes), agent.stats());
  }

  private static Outcome outcome(int round, int index, String url, CompletableFuture<Response> f)
      throws InterruptedException {
    try {
      return new Outcome(round, index, url, f.get(), null);
    } catch (ExecutionException e) {
      // the agent fails its futures only with AgentException
      return new Outcome(round, index, url, null, (AgentException) e.getCause());
    }
  }
}
