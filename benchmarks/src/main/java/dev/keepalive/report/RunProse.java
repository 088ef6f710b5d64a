package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keepalive.bench.Strategy;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sentences of a report that depend on the run: the machine and its load (from {@code
 * env.json}), the JMH settings (from {@code jmh.json}), where the server was and what a new
 * connection cost there (from the rows). Nothing here states a figure the run did not supply.
 */
final class RunProse {

  private RunProse() {}

  /**
   * "3–4 forks × 5 iterations of 1 s (warmup 6 × 1 s)": the forks over every entry (the suite gives
   * rows different numbers; a row's forks are its raw data's, else JMH's "forks"), the iterations
   * and warm-up of the first; "" for none.
   */
  static String settings(JsonNode root) {
    if (root == null || root.isEmpty()) {
      return "";
    }
    int fewest = Integer.MAX_VALUE;
    int most = 0;
    for (JsonNode entry : root) {
      JsonNode raw = entry.path("primaryMetric").path("rawData");
      int forks = raw.isArray() && !raw.isEmpty() ? raw.size() : entry.path("forks").asInt();
      fewest = Math.min(fewest, forks);
      most = Math.max(most, forks);
    }
    JsonNode e = root.get(0);
    int iterations = e.path("measurementIterations").asInt();
    return String.format(
        Locale.ROOT,
        "%s fork%s × %d iteration%s of %s (warmup %d × %s)",
        fewest == most ? String.valueOf(most) : fewest + "–" + most,
        most == 1 ? "" : "s",
        iterations,
        iterations == 1 ? "" : "s",
        e.path("measurementTime").asText("?"),
        e.path("warmupIterations").asInt(),
        e.path("warmupTime").asText("?"));
  }

  /**
   * Where the rows' server was and, on loopback, what a new connection cost there in this run:
   * no-agent's p50 over keep-alive's at concurrency 1, one origin, no delay.
   */
  static String path(List<SummaryTable.Row> rows) {
    boolean loopback = rows.stream().anyMatch(r -> harnessServer(r) && r.rttMs() == 0);
    boolean external = rows.stream().anyMatch(r -> !harnessServer(r));
    StringBuilder sb = new StringBuilder();
    if (loopback) {
      sb.append("Tables without an RTT ran on loopback (server at 127.0.0.1)");
      Optional<Double> cost = newConnectionCostMicros(rows);
      sb.append(
          cost.map(
                  c ->
                      String.format(
                          Locale.ROOT,
                          ", where a new connection added %s to the p50 (no-agent against"
                              + " keep-alive at concurrency 1). ",
                          DistanceTable.latency(c)))
              .orElse(". "));
    }
    if (external) {
      sb.append("Rows against an external server (-p target) measured the path to it. ");
    }
    if (rows.stream().anyMatch(r -> r.rttMs() > 0)) {
      sb.append(
          "Tables with an RTT put the relay between client and server, adding that round trip (a"
              + " new connection then costs at least two before its first response, a reused one"
              + " at least one; TCP slow start and loss are not modelled). ");
    }
    return sb.toString().trim();
  }

  static Optional<Double> newConnectionCostMicros(List<SummaryTable.Row> rows) {
    Optional<SummaryTable.Row> fresh = find(rows, Strategy.NO_AGENT);
    Optional<SummaryTable.Row> reused = find(rows, Strategy.KEEP_ALIVE);
    if (fresh.isEmpty() || reused.isEmpty()) {
      return Optional.empty();
    }
    double d = fresh.get().p50Micros() - reused.get().p50Micros();
    return Double.isNaN(d) ? Optional.empty() : Optional.of(d);
  }

  private static Optional<SummaryTable.Row> find(List<SummaryTable.Row> rows, String strategy) {
    return rows.stream()
        .filter(
            r ->
                r.strategy().equals(strategy)
                    && r.concurrency() == 1
                    && r.origins() == 1
                    && r.rttMs() == 0
                    && r.serverDelayMs() == 0
                    && harnessServer(r))
        .findFirst();
  }

  /** Whether the row ran against our harness server on this machine, not an external target. */
  private static boolean harnessServer(SummaryTable.Row r) {
    return r.placement().startsWith("harness-server");
  }

  /** The machine and how to read the numbers it gave, from {@code env.json}. */
  static String machine(Environment env) {
    if (env == null) {
      return "The machine was not recorded with this run (no env.json): compare rows measured in"
          + " the same run, and read small differences as noise.";
    }
    String measured = "Measured on " + env.machine();
    if (env.busy()) {
      return measured
          + ": a busy machine (load at least half its cores). Compare rows measured in the same"
          + " run, and read small differences as noise.";
    }
    return measured
        + ". Compare rows measured in the same run, and read small differences as noise.";
  }
}
