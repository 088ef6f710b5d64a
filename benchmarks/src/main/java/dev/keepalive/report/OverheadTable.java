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
 * The overhead comparison: each client's throughput and its ratio to {@code raw-socket} in the same
 * run.
 */
public final class OverheadTable {

  /** One row. */
  public record Row(String strategy, int concurrency, double throughput, double error) {}

  private OverheadTable() {}

  public static List<Row> read(Path jmhJson) throws IOException {
    JsonNode root = new ObjectMapper().readTree(jmhJson.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(jmhJson + " is not a JMH JSON result array");
    }
    List<Row> rows = new ArrayList<>();
    for (JsonNode e : root) {
      if (e.path("benchmark").asText().endsWith("OverheadBenchmark.request")) {
        rows.add(
            new Row(
                e.path("params").path("strategy").asText(),
                e.path("params").path("concurrency").asInt(),
                e.path("primaryMetric").path("score").asDouble(),
                e.path("primaryMetric").path("scoreError").asDouble()));
      }
    }
    return rows;
  }

  /**
   * Markdown, one table per concurrency, with the ratio to raw-socket (and to keep-alive, ours).
   */
  public static String markdown(List<Row> rows) {
    Map<Integer, List<Row>> byConcurrency = new LinkedHashMap<>();
    rows.forEach(
        r -> byConcurrency.computeIfAbsent(r.concurrency(), k -> new ArrayList<>()).add(r));
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Integer, List<Row>> e : byConcurrency.entrySet()) {
      double raw = score(e.getValue(), Strategy.RAW_SOCKET);
      double ours = score(e.getValue(), Strategy.KEEP_ALIVE);
      sb.append("### ")
          .append(
              e.getKey() == 1 ? "one connection, one request in flight" : e.getKey() + " in flight")
          .append(
              "\n\n| client | throughput (req/s) | × raw-socket | ours (keep-alive) × this |\n|---|---:|---:|---:|\n");
      for (Row r : e.getValue()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %,.0f ± %,.0f | %.2f | %.2f |%n",
                r.strategy(),
                r.throughput(),
                r.error(),
                r.throughput() / raw,
                ours / r.throughput()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static double score(List<Row> rows, String strategy) {
    return rows.stream()
        .filter(r -> r.strategy().equals(strategy))
        .mapToDouble(Row::throughput)
        .findFirst()
        .orElse(Double.NaN);
  }
}
