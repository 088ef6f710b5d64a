package dev.keepalive.report;

import dev.keepalive.bench.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answer before the tables: for each workload, what reuse is worth (keep-alive against a new
 * connection per request: throughput ratio with its interval, p50 and p99, connections per 1,000
 * requests from the server's count) and what each bound costs (its throughput relative to unbounded
 * keep-alive, with its interval).
 *
 * <p>A ratio's interval combines both rows' 95 % intervals on the log scale (their relative
 * half-widths added in quadrature): approximate, and as wide as the less precise row makes it. A
 * ratio whose interval includes 1 is printed as "no measurable difference".
 */
public final class Headline {

  private Headline() {}

  /** One block per workload that has a keep-alive row; empty when none has. */
  public static List<Block> of(List<SummaryTable.Row> rows) {
    Map<String, List<SummaryTable.Row>> byWorkload = new LinkedHashMap<>();
    rows.forEach(r -> byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r));
    List<Block> blocks = new ArrayList<>();
    for (Map.Entry<String, List<SummaryTable.Row>> w : byWorkload.entrySet()) {
      Optional<SummaryTable.Row> ka = find(w.getValue(), Strategy.KEEP_ALIVE);
      if (ka.isEmpty()) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      find(w.getValue(), Strategy.NO_AGENT).ifPresent(none -> lines.add(reuse(ka.get(), none)));
      find(w.getValue(), Strategy.CLOSE_RESUME)
          .ifPresent(
              resume ->
                  lines.add(
                      "against a new connection per request that resumes its TLS session"
                          + " (close-resume): keep-alive "
                          + ratio(ka.get(), resume)));
      List<String> bounds = new ArrayList<>();
      for (SummaryTable.Row r : w.getValue()) {
        if (r.strategy().startsWith(Strategy.MAX_SOCKETS_PREFIX)
            || r.strategy().startsWith(Strategy.MAX_TOTAL_PREFIX)) {
          bounds.add(r.strategy() + " " + ratio(r, ka.get()));
        }
      }
      if (!bounds.isEmpty()) {
        lines.add("bounds vs keep-alive (throughput): " + String.join(", ", bounds));
      }
      if (!lines.isEmpty()) {
        blocks.add(new Block(w.getKey(), lines));
      }
    }
    return blocks;
  }

  /** A workload's answer: its heading and its lines. */
  public record Block(String workload, List<String> lines) {

    /** Markdown: a bold heading and a bullet per line. */
    public String markdown() {
      StringBuilder sb = new StringBuilder("- **").append(workload).append("**\n");
      lines.forEach(l -> sb.append("  - ").append(l).append('\n'));
      return sb.toString();
    }

    /** Plain text, wrapped to {@code width} columns. */
    public String text(int width) {
      StringBuilder sb = new StringBuilder(workload).append('\n');
      lines.forEach(l -> sb.append(wrap(l, "  ", "    ", width)));
      return sb.toString();
    }
  }

  private static String reuse(SummaryTable.Row ka, SummaryTable.Row none) {
    return String.format(
        Locale.ROOT,
        "reuse: keep-alive %s no-agent's throughput; p50 %s vs %s, p99 %s vs %s;"
            + " connections per 1k requests %s vs %s (%s)",
        ratio(ka, none),
        DistanceTable.latency(ka.p50Micros()),
        DistanceTable.latency(none.p50Micros()),
        DistanceTable.latency(ka.p99Micros()),
        DistanceTable.latency(none.p99Micros()),
        perThousand(ka),
        perThousand(none),
        ka.serverCounted() ? "the server's count" : "the client's count");
  }

  private static String perThousand(SummaryTable.Row r) {
    double c = r.connectionsPer1000();
    return Double.isNaN(c) ? "n/a" : String.format(Locale.ROOT, "%,.1f", c);
  }

  /** {@code 6.1× (95 % CI 5.4–6.9×)}, or a statement that the interval includes 1. */
  static String ratio(SummaryTable.Row a, SummaryTable.Row b) {
    double r = a.throughput() / b.throughput();
    double ra = relative(a.precision());
    double rb = relative(b.precision());
    if (Double.isNaN(r)) {
      return "–";
    }
    if (Double.isNaN(ra) || Double.isNaN(rb)) {
      return String.format(Locale.ROOT, "%s× (no interval)", times(r));
    }
    double spread = Math.sqrt(ra * ra + rb * rb);
    double low = r * Math.exp(-spread);
    double high = r * Math.exp(spread);
    String ci = String.format(Locale.ROOT, "%s–%s×", times(low), times(high));
    if (low <= 1 && high >= 1) {
      return String.format(
          Locale.ROOT, "%s× (95 %% CI %s: no measurable difference)", times(r), ci);
    }
    return String.format(Locale.ROOT, "%s× (95 %% CI %s)", times(r), ci);
  }

  private static double relative(Precision p) {
    return p == null ? Double.NaN : Math.log1p(p.relativePercent() / 100);
  }

  private static String times(double x) {
    return String.format(Locale.ROOT, x >= 10 ? "%.0f" : x >= 0.1 ? "%.2f" : "%.3f", x);
  }

  private static Optional<SummaryTable.Row> find(List<SummaryTable.Row> rows, String strategy) {
    return rows.stream().filter(r -> r.strategy().equals(strategy)).findFirst();
  }

  /** {@code text} wrapped at spaces to {@code width} columns; continuation lines indented more. */
  static String wrap(String text, String first, String next, int width) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(first);
    boolean empty = true;
    for (String word : text.split(" ")) {
      if (!empty && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line = new StringBuilder(next);
        empty = true;
      }
      line.append(empty ? "" : " ").append(word);
      empty = false;
    }
    return out.append(line).append('\n').toString();
  }
}
