package dev.keepalive.report;

import dev.keepalive.bench.KneeSweep;
import dev.keepalive.bench.RateSummary;
import dev.keepalive.bench.RateTotals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The knee of each strategy ({@code knee}): the sustained rate per strategy as a table, every point
 * as a table, and latency from the intended start against offered rate, one line per strategy, as
 * charts ({@code knee-p50.png}, {@code knee-p99.png}, {@code knee-p999.png}). Reads a run's {@code
 * knee.json} ({@link KneeSweep.Result}), writes {@link #MARKDOWN} and the charts next to it.
 */
public final class KneeTable {

  /** The file a knee run's results are in. */
  public static final String JSON = "knee.json";

  /** The file its tables go to. */
  public static final String MARKDOWN = "knee.md";

  private KneeTable() {}

  /** What {@link #write} wrote: the markdown and the charts, in reading order. */
  public record Written(Path markdown, List<Path> charts) {}

  /** Reads {@code dir/knee.json}; writes {@code dir/knee.md} and the charts. */
  public static Written write(Path dir) throws IOException {
    KneeSweep.Result r = KneeSweep.Result.read(dir.resolve(JSON));
    Path md = dir.resolve(MARKDOWN);
    Files.writeString(md, markdown(r));
    List<Path> charts = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : charts(r).entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.write(p, e.getValue());
      charts.add(p);
    }
    return new Written(md, charts);
  }

  /** The SLO, and the sustained rate per strategy: what the terminal shows. */
  public static String summary(KneeSweep.Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "SLO: p99 from the intended start <= %.2f ms (%s)%n%n",
            r.sloP99Ms(),
            r.sloBasis()));
    sb.append(
        "| strategy | sustained rate (req/s) | p99 there (ms) | lowest failing rate | why |\n");
    sb.append("|---|---:|---:|---:|---|\n");
    for (KneeSweep.Line l : r.lines()) {
      RateTotals at = point(l, l.sustainedRate());
      int failing =
          l.points().stream()
              .mapToInt(RateTotals::rate)
              .filter(q -> q > l.sustainedRate())
              .min()
              .orElse(0);
      sb.append("| ")
          .append(l.strategy())
          .append(" | ")
          .append(
              l.sustainedRate() == 0
                  ? "none tried"
                  : (l.reachedMax() ? ">= " : "")
                      + String.format(Locale.ROOT, "%,d", l.sustainedRate()))
          .append(" | ")
          .append(at == null ? "" : ms(at.measured().intendedP99Ms()))
          .append(" | ")
          .append(failing == 0 ? "" : String.format(Locale.ROOT, "%,d", failing))
          .append(" | ")
          .append(l.limit() == null ? "" : l.limit())
          .append(" |\n");
    }
    return sb.toString();
  }

  /** The summary and every point. */
  public static String markdown(KneeSweep.Result r) {
    StringBuilder sb =
        new StringBuilder("## The knee: sustained rate per strategy (open loop)\n\n");
    sb.append(summary(r)).append('\n');
    sb.append(
        "Every point (a rate that failed ran once more, and the second run decided). Latency in ms; `intended` from the intended start (free of coordinated"
            + " omission), `issue` from the actual issue. A point whose generator fell behind shows no"
            + " latency. Connections are the server's count over the measurement.\n\n");
    sb.append(
        "| strategy | offered (req/s) | achieved | p50 intended | p99 intended |"
            + " p99.9 intended | p99 issue | late | errors | max in flight | max queued |"
            + " server connections |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (KneeSweep.Line l : r.lines()) {
      for (RateTotals t : l.points()) {
        row(sb, t.strategy(), t);
      }
      for (RateTotals t : l.repeated()) {
        row(sb, t.strategy() + " (failed, ran again)", t);
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, RateTotals t) {
    RateSummary m = t.measured();
    sb.append(
        String.format(
            Locale.ROOT,
            "| %s | %,d | %,.0f | %s | %s | %s | %s | %d | %s | %d | %s | %s |%n",
            name,
            t.rate(),
            m.achievedRate(),
            m.generatorBehind() ? "behind" : ms(m.intendedP50Ms()),
            m.generatorBehind() ? "behind" : ms(m.intendedP99Ms()),
            m.generatorBehind() ? "behind" : ms(m.intendedP999Ms()),
            m.generatorBehind() ? "behind" : ms(m.issueP99Ms()),
            m.late(),
            m.errors() == 0 ? "0" : m.errors() + " " + m.errorsByClass(),
            m.maxInFlight(),
            m.maxQueued() < 0 ? "n/a" : String.valueOf(m.maxQueued()),
            t.serverConnections() == null ? "n/a" : String.valueOf(t.serverConnections())));
  }

  private static RateTotals point(KneeSweep.Line l, int rate) {
    return l.points().stream().filter(t -> t.rate() == rate).findFirst().orElse(null);
  }

  private static String ms(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  /** PNG bytes by file name: p50, p99 (with the SLO) and p99.9 against offered rate. */
  public static Map<String, byte[]> charts(KneeSweep.Result r) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, byte[]> out = new LinkedHashMap<>();
    put(out, "knee-p50.png", chart(r, "p50", RateSummary::intendedP50Ms, false));
    put(out, "knee-p99.png", chart(r, "p99", RateSummary::intendedP99Ms, true));
    put(out, "knee-p999.png", chart(r, "p99.9", RateSummary::intendedP999Ms, false));
    return out;
  }

  /** A chart, unless it is null: no point had a latency (the generator fell behind at all). */
  private static void put(Map<String, byte[]> out, String name, XYChart c) throws IOException {
    if (c != null) {
      out.put(name, png(c));
    }
  }

  private static XYChart chart(
      KneeSweep.Result r, String label, Function<RateSummary, Double> value, boolean slo) {
    XYChart c =
        new XYChartBuilder()
            .width(1400)
            .height(700)
            .title(
                "Latency "
                    + label
                    + " from the intended start vs offered rate (open loop)"
                    + " — the knee is where a line turns up")
            .xAxisTitle("offered rate (requests / s)")
            .yAxisTitle("latency " + label + " (ms)")
            .build();
    Charts.style(c.getStyler());
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setXAxisDecimalPattern("#,###");
    boolean any = false;
    double minX = Double.MAX_VALUE;
    double maxX = 0;
    for (KneeSweep.Line l : r.lines()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (RateTotals t : l.points()) {
        Double v = value.apply(t.measured());
        if (v != null && v > 0) {
          xs.add((double) t.rate());
          ys.add(v);
          minX = Math.min(minX, t.rate());
          maxX = Math.max(maxX, t.rate());
        }
      }
      if (!xs.isEmpty()) {
        c.addSeries(l.strategy(), xs, ys);
        any = true;
      }
    }
    if (!any) {
      return null;
    }
    if (slo) {
      XYSeries s = c.addSeries("SLO", List.of(minX, maxX), List.of(r.sloP99Ms(), r.sloP99Ms()));
      s.setMarker(SeriesMarkers.NONE);
    }
    return c;
  }

  private static byte[] png(XYChart chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }
}
