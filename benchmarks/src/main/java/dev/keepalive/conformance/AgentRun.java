package dev.keepalive.conformance;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.NodeVersion;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import dev.keepalive.agent.Scheduling;
import dev.keepalive.agent.TlsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Every scenario through our agent with a given {@code nodeVersion}, against a fresh {@link
 * ScenarioServer}, the way {@code scenarios.js} runs them through Node: a round's requests in one
 * loop step ({@link Agent#requestAll(List, List)}), the callback's work on the agent's loop, the
 * pause counted from the end of the round.
 */
final class AgentRun {

  private static final long ROUND_TIMEOUT_SECONDS = 60;

  private AgentRun() {}

  /** One trace per scenario, in order. */
  static List<Trace> run(NodeVersion version, List<Scenario> scenarios)
      throws IOException, InterruptedException {
    try (ScenarioServer server = new ScenarioServer()) {
      int[][] ports = server.listenAll(scenarios);
      List<List<Trace.Outcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < scenarios.size(); i++) {
        Scenario s = scenarios.get(i);
        outcomes.add(runOne(s, version, ports[i], s.https() ? server.certificate() : null));
      }
      server.settle();
      List<Trace> traces = new ArrayList<>();
      for (int i = 0; i < scenarios.size(); i++) {
        traces.add(Trace.of(outcomes.get(i), server.log(i)));
      }
      return traces;
    }
  }

  private static List<Trace.Outcome> runOne(
      Scenario s, NodeVersion version, int[] ports, X509Certificate ca)
      throws InterruptedException {
    List<Trace.Outcome> out = new ArrayList<>();
    try (Agent agent = agent(s, version, ca)) {
      for (int r = 0; r < s.rounds.size(); r++) {
        Scenario.Round round = s.rounds.get(r);
        int n = round.steps().size();
        List<Trace.Outcome> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(n);
        List<Request> requests = new ArrayList<>();
        List<BiConsumer<Response, AgentException>> callbacks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          Scenario.Step step = round.steps().get(k);
          Request.Builder b =
              Request.builder(ScenarioServer.url(s, ports, step, r, k))
                  .timeoutMillis(step.timeoutMillis());
          if (step.connection() != null) {
            b.header("Connection", step.connection());
          }
          requests.add(b.build());
          callbacks.add(recorder(r, k, step.busyMillis(), results, done));
        }
        agent.requestAll(requests, callbacks);
        if (!done.await(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException(s.name + ": round " + r + " did not complete");
        }
        results.sort((a, b) -> Integer.compare(a.index(), b.index()));
        out.addAll(results);
        if (r < s.rounds.size() - 1) {
          Thread.sleep(round.pauseMillis());
        }
      }
    }
    return out;
  }

  private static BiConsumer<Response, AgentException> recorder(
      int round, int index, long busyMillis, List<Trace.Outcome> results, CountDownLatch done) {
    return (response, failure) -> {
      if (failure != null) {
        results.add(
            new Trace.Outcome(
                round, index, 0, null, failure.reusedSocket(), failure.errorClass().wireName()));
      } else {
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        results.add(
            new Trace.Outcome(
                round,
                index,
                response.status(),
                body.substring(0, Math.min(32, body.length())),
                response.reusedSocket(),
                null));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(busyMillis);
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // the application's work after 'end', on the loop, as in Node
        }
      }
      done.countDown();
    };
  }

  /**
   * The agent of a scenario: {@code agent: false} is {@link Agent#none()}; over HTTPS, with {@code
   * ca} trusted (and for {@code agent: false}, {@code none()}'s own TLS options besides).
   */
  private static Agent agent(Scenario s, NodeVersion version, X509Certificate ca) {
    if (s.kind == Scenario.AgentKind.NONE) {
      if (ca == null) {
        return Agent.none();
      }
      // Agent.none()'s options (a default agent without a session cache), trusting ca
      return Agent.create(
          AgentOptions.builder()
              .tls(TlsOptions.builder().ca(List.of(ca)).maxCachedSessions(0).build())
              .build());
    }
    return Agent.create(options(s, version, ca));
  }

  /**
   * Our options for a scenario's Node options, on {@code version}, trusting {@code ca} over HTTPS
   * (null: plain HTTP). Node reads options it knows and ignores the rest; our builder rejects what
   * it cannot honour instead. So an option Node would ignore on this line ({@code
   * agentKeepAliveTimeoutBuffer} on 20), or replace by its default (a negative or non-finite
   * buffer), is left at our default, which is what Node then uses.
   */
  static AgentOptions options(Scenario s, NodeVersion version, X509Certificate ca) {
    AgentOptions.Builder b = AgentOptions.builder().nodeVersion(version);
    TlsOptions.Builder tls = TlsOptions.builder();
    if (ca != null) {
      tls.ca(List.of(ca));
    }
    if (s.kind == Scenario.AgentKind.GLOBAL) {
      b.globalAgent();
    }
    for (Map.Entry<String, Object> e : s.nodeOptions.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "keepAlive" -> b.keepAlive((Boolean) v);
        case "keepAliveMsecs" -> b.keepAliveMsecs(((Number) v).intValue());
        case "maxSockets" -> b.maxSockets(((Number) v).intValue());
        case "maxFreeSockets" -> b.maxFreeSockets(((Number) v).intValue());
        case "maxTotalSockets" -> b.maxTotalSockets(((Number) v).intValue());
        case "scheduling" -> b.scheduling(Scheduling.parse((String) v));
        case "timeout" -> b.timeoutMillis(((Number) v).longValue());
        case "agentKeepAliveTimeoutBuffer" -> {
          double ms = ((Number) v).doubleValue();
          if (version.hasAgentKeepAliveTimeoutBuffer() && ms >= 0 && Double.isFinite(ms)) {
            b.agentKeepAliveTimeoutBufferMillis((long) ms);
          }
        }
        case "maxCachedSessions" -> tls.maxCachedSessions(((Number) v).intValue());
        default ->
            throw new IllegalArgumentException(
                s.name + ": no mapping for Node option '" + e.getKey() + "'");
      }
    }
    return b.tls(tls.build()).build();
  }
}
