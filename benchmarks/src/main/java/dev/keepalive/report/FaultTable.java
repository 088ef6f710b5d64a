package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keepalive.bench.Strategy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stale keep-alive race table: per scenario (pause, distance, middlebox) and row, errors per
 * 1,000 requests by class, the agent's retries and the connections the server accepted, per 1,000
 * requests; behind a middlebox also the client bytes it answered with a reset.
 */
public final class FaultTable {

  /** One row of one scenario; {@code rttMs} and {@code middleboxIdleMs} are 0 before the relay. */
  public record Row(
      String row,
      int pauseMs,
      int serverIdleMs,
      int rttMs,
      int middleboxIdleMs,
      long requests,
      long closedEarly,
      long reset,
      long otherErrors,
      long retries,
      long serverConnections,
      long middleboxResets) {

    double per1000(long n) {
      return requests == 0 ? Double.NaN : n * 1000.0 / requests;
    }

    /** The heading of this row's table: everything but the row that tells runs apart. */
    String scenario() {
      String distance = rttMs > 0 ? ", RTT " + rttMs + " ms" : "";
      if (middleboxIdleMs > 0) {
        return String.format(
            Locale.ROOT,
            "pause %d ms between bursts%s, a middlebox silently forgets flows idle %d ms"
                + " (server idle timeout %d ms)",
            pauseMs,
            distance,
            middleboxIdleMs,
            serverIdleMs);
      }
      return String.format(
          Locale.ROOT,
          "pause %d ms between bursts%s (server idle timeout %d ms)",
          pauseMs,
          distance,
          serverIdleMs);
    }
  }

  private FaultTable() {}

  public static List<Row> read(Path jmhJson) throws IOException {
    JsonNode root = new ObjectMapper().readTree(jmhJson.toFile());
    List<Row> rows = new ArrayList<>();
    if (root == null || !root.isArray()) {
      throw new IOException(jmhJson + " is not a JMH JSON result array");
    }
    for (JsonNode e : root) {
      if (!e.path("benchmark").asText().endsWith("FaultBenchmark.burst")) {
        continue;
      }
      JsonNode p = e.path("params");
      JsonNode s = e.path("secondaryMetrics");
      rows.add(
          new Row(
              p.path("row").asText(),
              p.path("pauseMs").asInt(),
              p.path("serverIdleMs").asInt(),
              p.path("rttMs").asInt(0),
              p.path("middleboxIdleMs").asInt(0),
              n(s, "requests"),
              n(s, "closedEarly"),
              n(s, "reset"),
              n(s, "otherErrors"),
              n(s, "retries"),
              n(s, "serverConnections"),
              n(s, "middleboxResets")));
    }
    return rows;
  }

  private static long n(JsonNode secondary, String name) {
    return Math.round(secondary.path(name).path("score").asDouble(0));
  }

  public static String markdown(List<Row> rows) {
    Map<String, List<Row>> byScenario = new LinkedHashMap<>();
    rows.forEach(r -> byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r));
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Row>> e : byScenario.entrySet()) {
      boolean middlebox = e.getValue().get(0).middleboxIdleMs() > 0;
      sb.append("### ").append(e.getKey()).append("\n\n");
      sb.append(
          "| row | requests | closed_early / 1k | reset / 1k | other errors / 1k | retries / 1k |"
              + " connections / 1k |"
              + (middlebox ? " middlebox resets / 1k |" : "")
              + "\n|---|---:|---:|---:|---:|---:|---:|"
              + (middlebox ? "---:|" : "")
              + "\n");
      for (Row r : e.getValue()) {
        boolean silent = Strategy.retriesSilently(r.row());
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %.1f | %.1f | %.1f | %s | %.1f |%s%n",
                r.row(),
                r.requests(),
                r.per1000(r.closedEarly()),
                r.per1000(r.reset()),
                r.per1000(r.otherErrors()),
                silent ? "(silent)" : String.format(Locale.ROOT, "%.1f", r.per1000(r.retries())),
                r.per1000(r.serverConnections()),
                middlebox
                    ? String.format(Locale.ROOT, " %.1f |", r.per1000(r.middleboxResets()))
                    : ""));
      }
      sb.append('\n');
    }
    sb.append(
        "Errors are what the caller saw. Peers retry by their own rules without saying so (HC5: idempotent\n");
    sb.append(
        "requests once; OkHttp: any method; JDK: GET/HEAD once), so their retries show only as extra\n");
    sb.append(
        "connections. Connections are the server's count. A distance (RTT) puts the relay between\n");
    sb.append(
        "client and server; behind a middlebox, \"middlebox resets\" counts requests whose bytes met a\n");
    sb.append("forgotten flow and were answered with a reset.\n");
    return sb.toString();
  }
}
