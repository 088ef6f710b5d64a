package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keepalive.bench.Strategy;
import dev.keepalive.bench.TrialFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The summary of a strategy run: one table per workload (concurrency × payload × origins × network
 * distance × server delay), one row per strategy, from JMH's JSON results and the run's per-phase
 * histograms ({@code hdr/*.hlog}, named by {@link TrialFiles} from each entry's parameters, as the
 * benchmark named them).
 */
public final class SummaryTable {

  /**
   * One row: a strategy under one workload. {@code latencySamples} is how many requests the latency
   * columns rest on (the measurement iterations' histogram).
   */
  public record Row(
      String strategy,
      int concurrency,
      int payload,
      int origins,
      double throughput,
      double throughputError,
      double p50Micros,
      double p99Micros,
      double p999Micros,
      long latencySamples,
      long requests,
      long errors,
      long serverConnections,
      long clientConnections,
      long reusedRequests,
      boolean serverCounted,
      String placement,
      TrialFiles files) {

    /** Connections per 1,000 requests, from the server's own count when it has one. */
    public double connectionsPer1000() {
      long conns = serverCounted ? serverConnections : clientConnections;
      return requests == 0 ? Double.NaN : conns * 1000.0 / requests;
    }

    /** Requests that did not open a connection, %. */
    public double reusePercent() {
      long conns = serverCounted ? serverConnections : clientConnections;
      return requests == 0 ? Double.NaN : Math.max(0, requests - conns) * 100.0 / requests;
    }

    /** The server's delay per response, ms ({@code serverDelayMs}); 0 for none. */
    public int serverDelayMs() {
      return files.serverDelayMs();
    }

    /** The round trip time the relay added, ms ({@code rttMs}); 0 for loopback. */
    public int rttMs() {
      return files.rttMs();
    }

    /**
     * "concurrency 16, payload 13 B[, 2 origins][, RTT 10 ms][, server delay 5 ms][, HTTPS]": the
     * heading of its table.
     */
    public String workload() {
      return "concurrency "
          + concurrency
          + ", payload "
          + payload
          + " B"
          + (origins > 1 ? ", " + origins + " origins" : "")
          + (rttMs() > 0 ? ", RTT " + rttMs() + " ms" : "")
          + (serverDelayMs() > 0 ? ", server delay " + serverDelayMs() + " ms" : "")
          + (files.https() ? ", HTTPS" : "");
    }

    /** "c16 13B[ o2][ r10][ d5][ tls]": a chart's category label. */
    public String shortWorkload() {
      return "c"
          + concurrency
          + " "
          + payload
          + "B"
          + (origins > 1 ? " o" + origins : "")
          + (rttMs() > 0 ? " r" + rttMs() : "")
          + (serverDelayMs() > 0 ? " d" + serverDelayMs() : "")
          + (files.https() ? " tls" : "");
    }

    /**
     * A file-name-safe workload key, e.g. {@code c16-p13-o1}, {@code c16-p13-o1-r10}, {@code
     * c16-p13-o1-d5} or {@code c16-p13-o1-https}.
     */
    public String workloadKey() {
      return "c"
          + concurrency
          + "-p"
          + payload
          + "-o"
          + origins
          + (rttMs() > 0 ? "-r" + rttMs() : "")
          + (serverDelayMs() > 0 ? "-d" + serverDelayMs() : "")
          + (files.https() ? "-" + TrialFiles.HTTPS : "");
    }
  }

  private SummaryTable() {}

  /** Reads the throughput entries of {@code jmh.json}; latency percentiles from {@code hdrDir}. */
  public static List<Row> read(Path jmhJson, Path hdrDir) throws IOException {
    JsonNode root = new ObjectMapper().readTree(jmhJson.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(jmhJson + " is not a JMH JSON result array");
    }
    List<Row> rows = new ArrayList<>();
    for (JsonNode e : root) {
      if (!e.path("benchmark").asText().endsWith("StrategyBenchmark.request")
          || !"thrpt".equals(e.path("mode").asText())) {
        continue;
      }
      JsonNode p = e.path("params");
      TrialFiles files;
      try {
        files =
            TrialFiles.of(
                e.path("benchmark").asText(),
                TrialFiles.THROUGHPUT,
                name -> p.hasNonNull(name) ? p.get(name).asText() : null);
      } catch (IllegalArgumentException bad) {
        throw new IOException(jmhJson + ": " + bad.getMessage());
      }
      JsonNode sec = e.path("secondaryMetrics");
      if (files.origins() < 1) {
        throw new IOException(
            jmhJson + ": entry " + files.strategy() + " has no valid origins parameter");
      }
      double[] pct = percentiles(files.hlog(hdrDir));
      boolean serverCounted = p.path("target").asText("").isEmpty();
      rows.add(
          new Row(
              files.strategy(),
              files.concurrency(),
              files.payload(),
              files.origins(),
              e.path("primaryMetric").path("score").asDouble(),
              e.path("primaryMetric").path("scoreError").asDouble(Double.NaN),
              pct[0],
              pct[1],
              pct[2],
              (long) pct[3],
              counter(sec, "requests"),
              counter(sec, "errors"),
              counter(sec, "serverConnections"),
              counter(sec, "connectionsOpened"),
              counter(sec, "reusedRequests"),
              serverCounted,
              placement(p),
              files));
    }
    return rows;
  }

  /** Where the server ran, from the run's {@code server} and {@code target} parameters. */
  static String placement(JsonNode params) {
    String target = params.path("target").asText("");
    if (!target.isEmpty()) {
      return "external server "
          + target
          + " (connection counts from the client; no server-side counts)";
    }
    return "inprocess".equals(params.path("server").asText())
        ? "harness-server embedded in the benchmark JVM, 127.0.0.1"
        : "harness-server in its own JVM, 127.0.0.1";
  }

  /** The distinct placements of the rows, for the environment block. */
  public static String placements(List<Row> rows) {
    return String.join("; ", rows.stream().map(Row::placement).distinct().toList());
  }

  private static long counter(JsonNode secondary, String name) {
    return Math.round(secondary.path(name).path("score").asDouble(0));
  }

  /**
   * p50, p99, p99.9 of the {@code total} phase, µs, and how many requests it holds; NaN and 0 when
   * the log is absent.
   */
  static double[] percentiles(Path hlog) throws IOException {
    Histogram total = HistogramLogs.read(hlog, HistogramLogs.TOTAL);
    if (total == null) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, 0};
    }
    return new double[] {
      total.getValueAtPercentile(50) / 1000.0,
      total.getValueAtPercentile(99) / 1000.0,
      total.getValueAtPercentile(99.9) / 1000.0,
      total.getTotalCount()
    };
  }

  /**
   * Markdown: one table per workload, rows sorted slowest first, with each row's throughput
   * relative to the {@code keep-alive} row of the same table.
   */
  public static String markdown(List<Row> rows) {
    Map<String, List<Row>> byWorkload = new LinkedHashMap<>();
    for (Row r : rows) {
      byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Row>> w : byWorkload.entrySet()) {
      List<Row> sorted = new ArrayList<>(w.getValue());
      sorted.sort(java.util.Comparator.comparingDouble(Row::throughput));
      double keepAlive =
          sorted.stream()
              .filter(r -> r.strategy().equals(Strategy.KEEP_ALIVE))
              .mapToDouble(Row::throughput)
              .findFirst()
              .orElse(Double.NaN);
      sb.append("### ").append(w.getKey()).append("\n\n");
      sb.append(
          "| strategy | throughput (req/s) | vs keep-alive | p50 (µs) | p99 (µs) | p99.9 (µs) |"
              + " connections / 1k req | reuse % | errors |\n");
      sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Row r : sorted) {
        sb.append("| ")
            .append(r.strategy())
            .append(" | ")
            .append(fmt("%,.0f", r.throughput()))
            .append(" ± ")
            .append(fmt("%,.0f", r.throughputError()))
            .append(" | ")
            .append(fmt("%.2f×", r.throughput() / keepAlive))
            .append(" | ")
            .append(fmt("%,.0f", r.p50Micros()))
            .append(" | ")
            .append(fmt("%,.0f", r.p99Micros()))
            .append(" | ")
            .append(fmt("%,.0f", r.p999Micros()))
            .append(" | ")
            .append(fmt("%,.1f", r.connectionsPer1000()))
            .append(" | ")
            .append(fmt("%.1f", r.reusePercent()))
            .append(" | ")
            .append(r.errors())
            .append(" |\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String fmt(String pattern, double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, pattern, v);
  }
}
