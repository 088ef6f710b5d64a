package dev.keepalive.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a strategy run, drawn headless with XChart: throughput per strategy (grouped bars),
 * the latency percentile distribution per strategy for each workload (HdrHistogram style: x is the
 * percentile on a 1/(1-p) log axis, y is µs; read from each trial's {@code .hlog}), and connections
 * opened per 1,000 requests. Throughput bars carry JMH's 99.9 % interval as error bars; the
 * connections chart has a log axis so that a pool's handful of connections is as readable as
 * no-agent's thousand.
 */
public final class Charts {

  private static final int WIDTH = 1400;
  private static final int HEIGHT = 700;

  /**
   * Where the connections chart draws a row that opened none (or fewer than this per 1,000
   * requests): the bottom of its log axis.
   */
  static final double CONNECTIONS_FLOOR = 0.01;

  /** HdrHistogram's default for its percentile distribution output. */
  private static final int TICKS_PER_HALF_DISTANCE = 5;

  private Charts() {}

  /**
   * Draws the charts, writing nothing: PNG bytes by file name, in reading order ({@link
   * Report#write} writes them into the run's folder).
   */
  public static Map<String, byte[]> render(List<SummaryTable.Row> rows, Path hdrDir)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<SummaryTable.Row> single = rows.stream().filter(r -> r.origins() == 1).toList();
    List<SummaryTable.Row> multi = rows.stream().filter(r -> r.origins() > 1).toList();
    if (!single.isEmpty()) {
      files.put("throughput.png", png(throughput(single, "Throughput per strategy (one origin)")));
      files.put("connections.png", png(connections(single)));
    }
    if (!multi.isEmpty()) {
      files.put(
          "throughput-origins.png",
          png(throughput(multi, "Throughput per strategy (several origins)")));
    }
    Map<String, List<SummaryTable.Row>> byWorkload = new LinkedHashMap<>();
    rows.forEach(r -> byWorkload.computeIfAbsent(r.workloadKey(), k -> new ArrayList<>()).add(r));
    for (Map.Entry<String, List<SummaryTable.Row>> w : byWorkload.entrySet()) {
      XYChart chart = latency(w.getValue(), hdrDir);
      if (chart != null) {
        files.put("latency-" + w.getKey() + ".png", png(chart));
      }
    }
    return files;
  }

  private static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart)
      throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  /** Twelve colours far enough apart to tell ten rows apart. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf),
    new Color(0x393b79), new Color(0xad494a)
  };

  static void style(Styler s) {
    s.setSeriesColors(PALETTE);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
  }

  static CategoryChart throughput(List<SummaryTable.Row> rows, String title) {
    CategoryChart c =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title + " — higher is better")
            .xAxisTitle("workload (concurrency, payload, origins)")
            .yAxisTitle("requests / s")
            .build();
    style(c.getStyler());
    c.getStyler().setYAxisDecimalPattern("#,###");
    List<String> workloads =
        new ArrayList<>(
            new LinkedHashSet<>(rows.stream().map(SummaryTable.Row::shortWorkload).toList()));
    Set<String> strategies =
        new LinkedHashSet<>(rows.stream().map(SummaryTable.Row::strategy).toList());
    c.getStyler().setErrorBarsColorSeriesColor(false);
    c.getStyler().setErrorBarsColor(Color.BLACK);
    for (String s : strategies) {
      List<Double> ys = new ArrayList<>();
      List<Double> errors = new ArrayList<>();
      for (String w : workloads) {
        Optional<SummaryTable.Row> row =
            rows.stream()
                .filter(r -> r.strategy().equals(s) && r.shortWorkload().equals(w))
                .findFirst();
        ys.add(row.map(SummaryTable.Row::throughput).orElse(0.0));
        // JMH has no interval with fewer than 3 iterations: no bar then, rather than a false one
        errors.add(
            row.map(SummaryTable.Row::throughputError).filter(e -> !Double.isNaN(e)).orElse(0.0));
      }
      c.addSeries(s, workloads, ys, errors);
    }
    return c;
  }

  static CategoryChart connections(List<SummaryTable.Row> rows) {
    CategoryChart c =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                "Connections opened per 1,000 requests (server's count, measurement iterations) — lower is better")
            .xAxisTitle("strategy")
            .yAxisTitle(
                "connections / 1,000 requests (log scale; 0 at the bottom: none opened below "
                    + CONNECTIONS_FLOOR
                    + ")")
            .build();
    style(c.getStyler());
    // a log axis, so that a pool's few connections show next to no-agent's thousand
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setYAxisMin(CONNECTIONS_FLOOR);
    // every bar carries its value, and a row that opened none reads 0, not the floor
    c.getStyler().setYAxisTickLabelsFormattingFunction(Charts::connectionsLabel);
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setLabelsRotation(90);
    c.getStyler().setLabelsFontColorAutomaticEnabled(false);
    c.getStyler().setLabelsFontColor(Color.BLACK);
    c.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    List<String> strategies =
        new ArrayList<>(
            new LinkedHashSet<>(rows.stream().map(SummaryTable.Row::strategy).toList()));
    Set<String> workloads =
        new LinkedHashSet<>(rows.stream().map(SummaryTable.Row::shortWorkload).toList());
    for (String w : workloads) {
      List<Double> ys = new ArrayList<>();
      for (String s : strategies) {
        double v =
            rows.stream()
                .filter(r -> r.strategy().equals(s) && r.shortWorkload().equals(w))
                .mapToDouble(SummaryTable.Row::connectionsPer1000)
                .findFirst()
                .orElse(0);
        ys.add(Double.isNaN(v) || v < CONNECTIONS_FLOOR ? CONNECTIONS_FLOOR : v);
      }
      c.addSeries(w, strategies, ys);
    }
    return c;
  }

  /** A connections count: "0" at the floor, else up to two decimals. */
  static String connectionsLabel(double perThousand) {
    return perThousand <= CONNECTIONS_FLOOR
        ? "0"
        : new java.text.DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT))
            .format(perThousand);
  }

  /**
   * The percentile distribution of every strategy of one workload, or null when no row has a
   * latency log.
   */
  static XYChart latency(List<SummaryTable.Row> rows, Path hdrDir) throws IOException {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                "Latency by percentile, "
                    + rows.get(0).workload()
                    + " (issue → last byte, closed loop)")
            .xAxisTitle("percentile")
            .yAxisTitle("latency (µs)")
            .build();
    style(c.getStyler());
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setXAxisTickLabelsFormattingFunction(Charts::percentileLabel);
    c.getStyler().setYAxisDecimalPattern("#,###");
    c.getStyler().setMarkerSize(0);
    boolean any = false;
    for (SummaryTable.Row r : rows) {
      Histogram total = HistogramLogs.read(r.files().hlog(hdrDir), HistogramLogs.TOTAL);
      if (total == null) {
        continue;
      }
      double[][] xy = percentileCurve(total);
      if (xy[0].length < 2) {
        continue;
      }
      XYSeries s = c.addSeries(r.strategy(), xy[0], xy[1]);
      s.setMarker(SeriesMarkers.NONE);
      any = true;
    }
    return any ? c : null;
  }

  /**
   * x = 1/(1-p), y = value in µs, from a histogram in ns: the points of HdrHistogram's percentile
   * distribution ({@code .hgrm}: {@value #TICKS_PER_HALF_DISTANCE} ticks per half distance),
   * without the 100th percentile, whose x is infinite.
   */
  static double[][] percentileCurve(Histogram nanos) {
    List<double[]> points = new ArrayList<>();
    for (HistogramIterationValue v : nanos.percentiles(TICKS_PER_HALF_DISTANCE)) {
      double p = v.getPercentileLevelIteratedTo() / 100.0;
      double micros = v.getValueIteratedTo() / 1000.0;
      if (p < 1.0 && micros > 0) {
        points.add(new double[] {1 / (1 - p), micros});
      }
    }
    double[][] xy = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      xy[0][i] = points.get(i)[0];
      xy[1][i] = points.get(i)[1];
    }
    return xy;
  }

  /** 1/(1-p) → "p%": 1 → 0%, 10 → 90%, 100 → 99%, 1000 → 99.9%. */
  static String percentileLabel(double inverse) {
    double p = (1 - 1 / inverse) * 100;
    String s = String.format(Locale.ROOT, "%.5f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
    return s + "%";
  }
}
