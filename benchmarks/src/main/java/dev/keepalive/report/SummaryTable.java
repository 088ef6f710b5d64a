package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keepalive.bench.Strategy;
import dev.keepalive.bench.TrialFiles;
import dev.keepalive.bench.TrialTotals;
import java.io.IOException;
import java.nio.file.Files;
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
      Precision precision,
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

    /** The 95 % interval's half-width of the throughput, req/s; NaN when unknown. */
    public double throughputError() {
      return precision == null ? Double.NaN : precision.halfWidth();
    }

    /**
     * Whether anything counted this row's connections: the server (the harness server, or an
     * external target that answers its {@code /stats}) or the client itself (our agent and the
     * floor; the library peers count nothing). When not, {@code clientConnections} is -1 and the
     * columns say {@value #NOT_COUNTED}.
     */
    public boolean connectionsCounted() {
      return serverCounted || clientConnections >= 0;
    }

    /** Connections per 1,000 requests, from the server's own count when it has one; NaN if none. */
    public double connectionsPer1000() {
      long conns = serverCounted ? serverConnections : clientConnections;
      return requests == 0 || conns < 0 ? Double.NaN : conns * 1000.0 / requests;
    }

    /** Requests that did not open a connection, %; NaN when nothing counted connections. */
    public double reusePercent() {
      long conns = serverCounted ? serverConnections : clientConnections;
      return requests == 0 || conns < 0
          ? Double.NaN
          : Math.max(0, requests - conns) * 100.0 / requests;
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

  /** What a connection column says when nothing counted the row's connections. */
  public static final String NOT_COUNTED = "n/a";

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
      Precision precision = Precision.of(e.path("primaryMetric"));
      boolean external = !p.path("target").asText("").isEmpty();
      Path trialJson = files.trialJson(hdrDir);
      TrialTotals totals = Files.exists(trialJson) ? TrialTotals.read(trialJson) : null;
      // an external target counts when it answered /stats (its trial totals say so)
      boolean serverCounted = !external || (totals != null && totals.serverConnections() != null);
      boolean clientCounts = Strategy.countsItsConnections(files.strategy());
      rows.add(
          new Row(
              files.strategy(),
              files.concurrency(),
              files.payload(),
              files.origins(),
              Double.isNaN(precision.score())
                  ? e.path("primaryMetric").path("score").asDouble()
                  : precision.score(),
              precision,
              pct[0],
              pct[1],
              pct[2],
              (long) pct[3],
              counter(sec, "requests"),
              counter(sec, "errors"),
              counter(sec, "serverConnections"),
              clientCounts || serverCounted ? counter(sec, "connectionsOpened") : -1,
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
          + " (its /stats counts where it answers them, else the client's; peers: n/a)";
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
   * One table per workload, rows sorted slowest first, with each row's throughput relative to the
   * {@code keep-alive} row of the same table; a row whose interval is wider than {@code
   * targetPercent} says so (NaN: no target).
   */
  public static Map<String, TextTable> tables(List<Row> rows, double targetPercent) {
    Map<String, List<Row>> byWorkload = new LinkedHashMap<>();
    for (Row r : rows) {
      byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
    }
    Map<String, TextTable> tables = new LinkedHashMap<>();
    for (Map.Entry<String, List<Row>> w : byWorkload.entrySet()) {
      List<Row> sorted = new ArrayList<>(w.getValue());
      sorted.sort(java.util.Comparator.comparingDouble(Row::throughput));
      double keepAlive =
          sorted.stream()
              .filter(r -> r.strategy().equals(Strategy.KEEP_ALIVE))
              .mapToDouble(Row::throughput)
              .findFirst()
              .orElse(Double.NaN);
      TextTable t =
          new TextTable()
              .text("strategy")
              .number("req/s")
              .number("± (95 % CI)")
              .number("vs keep-alive")
              .number("p50 µs")
              .number("p99 µs")
              .number("p99.9 µs")
              .number("conn / 1k req")
              .number("reuse %")
              .number("errors");
      for (Row r : sorted) {
        t.row(
            r.strategy(),
            fmt("%,.0f", r.throughput()),
            precisionCell(r.precision(), targetPercent),
            fmt("%.2f×", r.throughput() / keepAlive),
            fmt("%,.0f", r.p50Micros()),
            fmt("%,.0f", r.p99Micros()),
            fmt("%,.0f", r.p999Micros()),
            r.connectionsCounted() ? fmt("%,.1f", r.connectionsPer1000()) : NOT_COUNTED,
            r.connectionsCounted() ? fmt("%.1f", r.reusePercent()) : NOT_COUNTED,
            Long.toString(r.errors()));
      }
      tables.put(w.getKey(), t);
    }
    return tables;
  }

  /**
   * {@code ±2.1 %}, {@code ±7.9 % (target 5 %)}, with {@code (it)} for an interval over iterations.
   */
  static String precisionCell(Precision p, double targetPercent) {
    if (p == null) {
      return "±?";
    }
    String label = p.label();
    return !Double.isNaN(targetPercent) && !p.reached(targetPercent)
        ? label + " (target " + Precision.percent(targetPercent) + " %)"
        : label;
  }

  /** Markdown: a heading and a table per workload. */
  public static String markdown(List<Row> rows, double targetPercent) {
    StringBuilder sb = new StringBuilder();
    tables(rows, targetPercent)
        .forEach(
            (w, t) -> sb.append("### ").append(w).append("\n\n").append(t.markdown()).append('\n'));
    return sb.toString();
  }

  /** Markdown without a precision target. */
  public static String markdown(List<Row> rows) {
    return markdown(rows, Double.NaN);
  }

  /** Aligned text for a terminal: a heading line and a table per workload. */
  public static String text(List<Row> rows, double targetPercent) {
    StringBuilder sb = new StringBuilder();
    tables(rows, targetPercent)
        .forEach((w, t) -> sb.append(w).append('\n').append(t.aligned("  ")).append('\n'));
    return sb.toString();
  }

  private static String fmt(String pattern, double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, pattern, v);
  }
}
