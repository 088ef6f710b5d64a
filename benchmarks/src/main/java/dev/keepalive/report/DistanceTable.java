package dev.keepalive.report;

import dev.keepalive.bench.Strategy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What reuse is worth against network distance ({@code rttMs}, the relay's round trip time), from
 * the strategy rows of one run: a headline (keep-alive against no-agent at each distance), a table
 * per workload that was measured at more than one distance (each strategy's throughput relative to
 * no-agent, its p50 and p99, and how many requests those rest on), and its chart.
 */
public final class DistanceTable {

  private DistanceTable() {}

  /** The rows' workload without the distance: what a distance sweep holds fixed. */
  private static String workloadAtAnyDistance(SummaryTable.Row r) {
    return "concurrency "
        + r.concurrency()
        + ", payload "
        + r.payload()
        + " B"
        + (r.origins() > 1 ? ", " + r.origins() + " origins" : "")
        + (r.serverDelayMs() > 0 ? ", server delay " + r.serverDelayMs() + " ms" : "")
        + (r.files().https() ? ", HTTPS" : "");
  }

  private static Map<String, List<SummaryTable.Row>> byWorkload(List<SummaryTable.Row> rows) {
    Map<String, List<SummaryTable.Row>> out = new LinkedHashMap<>();
    rows.forEach(r -> out.computeIfAbsent(workloadAtAnyDistance(r), k -> new ArrayList<>()).add(r));
    return out;
  }

  private static Optional<SummaryTable.Row> find(
      List<SummaryTable.Row> rows, String strategy, int rttMs) {
    return rows.stream()
        .filter(r -> r.strategy().equals(strategy) && r.rttMs() == rttMs)
        .findFirst();
  }

  private static List<Integer> distances(List<SummaryTable.Row> rows) {
    return rows.stream().map(SummaryTable.Row::rttMs).distinct().sorted().toList();
  }

  /**
   * One line per workload that has both a {@code keep-alive} and a {@code no-agent} row: reuse's
   * throughput factor and both p50s at each distance measured. Empty when there is none.
   */
  public static String headline(List<SummaryTable.Row> rows) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<SummaryTable.Row>> w : byWorkload(rows).entrySet()) {
      List<String> parts = new ArrayList<>();
      for (int rtt : distances(w.getValue())) {
        Optional<SummaryTable.Row> ka = find(w.getValue(), Strategy.KEEP_ALIVE, rtt);
        Optional<SummaryTable.Row> none = find(w.getValue(), Strategy.NO_AGENT, rtt);
        if (ka.isPresent() && none.isPresent()) {
          parts.add(
              String.format(
                  Locale.ROOT,
                  "%s: %.1f× the throughput, p50 %s vs %s",
                  rtt == 0 ? "loopback" : "RTT " + rtt + " ms",
                  ka.get().throughput() / none.get().throughput(),
                  latency(ka.get().p50Micros()),
                  latency(none.get().p50Micros())));
        }
      }
      if (!parts.isEmpty()) {
        sb.append("- **What reuse is worth** (keep-alive vs no-agent, ")
            .append(w.getKey())
            .append("): ")
            .append(String.join("; ", parts))
            .append(".\n");
      }
    }
    return sb.toString();
  }

  /** Markdown tables for the workloads measured at more than one distance; empty if none. */
  public static String markdown(List<SummaryTable.Row> rows) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<SummaryTable.Row>> w : byWorkload(rows).entrySet()) {
      List<Integer> rtts = distances(w.getValue());
      if (rtts.size() < 2) {
        continue;
      }
      sb.append("### What reuse is worth vs distance: ").append(w.getKey()).append("\n\n");
      sb.append(
          "| RTT (ms) | strategy | throughput (req/s) | vs no-agent | p50 | p99 | requests"
              + " measured |\n|---:|---|---:|---:|---:|---:|---:|\n");
      for (int rtt : rtts) {
        double noAgent =
            find(w.getValue(), Strategy.NO_AGENT, rtt)
                .map(SummaryTable.Row::throughput)
                .orElse(Double.NaN);
        for (SummaryTable.Row r : w.getValue()) {
          if (r.rttMs() != rtt) {
            continue;
          }
          sb.append(
              String.format(
                  Locale.ROOT,
                  "| %d | %s | %,.0f | %s | %s | %s | %,d |%n",
                  rtt,
                  r.strategy(),
                  r.throughput(),
                  Double.isNaN(noAgent)
                      ? "–"
                      : String.format(Locale.ROOT, "%.2f×", r.throughput() / noAgent),
                  latency(r.p50Micros()),
                  latency(r.p99Micros()),
                  r.latencySamples()));
        }
      }
      sb.append('\n');
    }
    if (sb.length() > 0) {
      sb.append(
          "RTT is the round trip the relay adds (0: loopback, no relay). A new connection costs at\n"
              + "least two round trips before its first response, a reused one at least one. \"Requests\n"
              + "measured\" is how many requests the latency columns rest on; with few, p99 is close to the\n"
              + "maximum.\n\n");
    }
    return sb.toString();
  }

  /** "850 µs" below a millisecond, "10.4 ms" above; "–" for NaN. */
  /** {@code 850 µs}, {@code 12.3 ms}; – for NaN. */
  static String latency(double micros) {
    if (Double.isNaN(micros)) {
      return "–";
    }
    return micros < 1000
        ? String.format(Locale.ROOT, "%,.0f µs", micros)
        : String.format(Locale.ROOT, "%,.1f ms", micros / 1000);
  }

  /**
   * Per workload measured at more than one distance, drawn and not written: {@code
   * distance-<workload>-throughput.png} (throughput relative to no-agent against RTT) and {@code
   * distance-<workload>-latency.png} (p50 and p99 against RTT, log scale), PNG bytes by file name.
   */
  public static Map<String, byte[]> render(List<SummaryTable.Row> rows) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<SummaryTable.Row>> w : byWorkload(rows).entrySet()) {
      List<SummaryTable.Row> ws = new ArrayList<>(w.getValue());
      if (distances(ws).size() < 2) {
        continue;
      }
      ws.sort(Comparator.comparingInt(SummaryTable.Row::rttMs));
      String key = ws.get(0).workloadKey().replaceAll("-r[0-9]+", "");
      out.put(
          "distance-" + key + "-throughput.png",
          BitmapEncoder.getBitmapBytes(ratioChart(ws, w.getKey()), BitmapEncoder.BitmapFormat.PNG));
      out.put(
          "distance-" + key + "-latency.png",
          BitmapEncoder.getBitmapBytes(
              latencyChart(ws, w.getKey()), BitmapEncoder.BitmapFormat.PNG));
    }
    return out;
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart c =
        new XYChartBuilder()
            .width(1000)
            .height(600)
            .title(title)
            .xAxisTitle("round trip time added (ms)")
            .yAxisTitle(yTitle)
            .build();
    Charts.style(c.getStyler());
    c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
    c.getStyler().setMarkerSize(8);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    return c;
  }

  private static Set<String> strategies(List<SummaryTable.Row> rows) {
    return new LinkedHashSet<>(rows.stream().map(SummaryTable.Row::strategy).toList());
  }

  private static XYChart ratioChart(List<SummaryTable.Row> rows, String workload) {
    XYChart c =
        chart("What reuse is worth vs distance (" + workload + ")", "throughput / no-agent's");
    for (String s : strategies(rows)) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (SummaryTable.Row r : rows) {
        Optional<SummaryTable.Row> none = find(rows, Strategy.NO_AGENT, r.rttMs());
        if (r.strategy().equals(s) && none.isPresent()) {
          xs.add((double) r.rttMs());
          ys.add(r.throughput() / none.get().throughput());
        }
      }
      if (!xs.isEmpty()) {
        c.addSeries(s, xs, ys).setMarker(SeriesMarkers.CIRCLE);
      }
    }
    return c;
  }

  private static XYChart latencyChart(List<SummaryTable.Row> rows, String workload) {
    XYChart c = chart("Latency vs distance (" + workload + ")", "ms (log scale)");
    c.getStyler().setYAxisLogarithmic(true);
    for (String s : strategies(rows)) {
      for (boolean p99 : new boolean[] {false, true}) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (SummaryTable.Row r : rows) {
          double v = p99 ? r.p99Micros() : r.p50Micros();
          if (r.strategy().equals(s) && !Double.isNaN(v) && v > 0) {
            xs.add((double) r.rttMs());
            ys.add(v / 1000);
          }
        }
        if (!xs.isEmpty()) {
          c.addSeries(s + (p99 ? " p99" : " p50"), xs, ys)
              .setMarker(p99 ? SeriesMarkers.TRIANGLE_UP : SeriesMarkers.CIRCLE);
        }
      }
    }
    return c;
  }
}
