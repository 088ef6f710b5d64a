package dev.keepalive.report;

import dev.keepalive.bench.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a new connection costs, full and resumed TLS handshake, derived from rows measured side by
 * side in one run at concurrency 1, where the time per request is 1 / throughput: {@code no-agent}
 * − {@code keep-alive} is a TCP connect plus a full handshake (over http: the TCP connect alone),
 * {@code close-resume} − {@code keep-alive} is a TCP connect plus an abbreviated handshake (a
 * resumed session). When the same distance was also measured over http, the TLS handshake alone is
 * the https difference minus the http one.
 *
 * <p>Intervals: each row's 95 % interval ({@link Precision}) turned into bounds on the time per
 * request, and a difference's bounds the worst combination of its two rows' bounds. An interval
 * that holds 0 means the run could not tell the cost from noise. A row without an interval (a
 * single iteration) has none.
 */
public final class HandshakeCostTable {

  private HandshakeCostTable() {}

  /**
   * A time per request or a difference of two, µs, with its bounds (NaN when unknown).
   *
   * @param micros the estimate
   * @param lowMicros the interval's lower bound
   * @param highMicros the interval's upper bound
   */
  public record Micros(double micros, double lowMicros, double highMicros) {

    /** The time per request of a concurrency-1 row: 1 / throughput, bounds from its error. */
    static Micros perRequest(SummaryTable.Row r) {
      double x = r.throughput();
      double e = r.throughputError();
      if (Double.isNaN(e)) {
        return new Micros(1e6 / x, Double.NaN, Double.NaN);
      }
      double high = x - e > 0 ? 1e6 / (x - e) : Double.POSITIVE_INFINITY;
      return new Micros(1e6 / x, 1e6 / (x + e), high);
    }

    Micros minus(Micros o) {
      return new Micros(micros - o.micros, lowMicros - o.highMicros, highMicros - o.lowMicros);
    }

    String format() {
      String value = String.format(Locale.ROOT, "%,.0f", micros);
      if (Double.isNaN(lowMicros) || Double.isNaN(highMicros)) {
        return value;
      }
      return value + " [" + bound(lowMicros) + ", " + bound(highMicros) + "]";
    }

    /** An unbounded end (a row whose error reaches its score) shows as ±∞. */
    private static String bound(double v) {
      if (Double.isInfinite(v)) {
        return v > 0 ? "∞" : "−∞";
      }
      return String.format(Locale.ROOT, "%,.0f", v);
    }
  }

  /**
   * One scheme at one distance and payload: the three rows' time per request and the costs.
   *
   * @param scheme {@code http} or {@code https}
   * @param rttMs the relay's round trip time, 0 for loopback
   * @param payload response body bytes
   * @param keepAlive time per request of {@code keep-alive} (no new connection)
   * @param noAgent time per request of {@code no-agent} (a new connection, full handshake)
   * @param closeResume time per request of {@code close-resume}, or null when not measured (it adds
   *     nothing over http, where it is {@code no-agent})
   */
  public record Cost(
      String scheme, int rttMs, int payload, Micros keepAlive, Micros noAgent, Micros closeResume) {

    /** A new connection with a full handshake (over http: a TCP connect). */
    public Micros full() {
      return noAgent.minus(keepAlive);
    }

    /** A new connection with a resumed session, or null without {@code close-resume}. */
    public Micros resumed() {
      return closeResume == null ? null : closeResume.minus(keepAlive);
    }
  }

  /**
   * The costs of every (scheme, distance, payload) measured at concurrency 1 with one origin, no
   * server delay, that has a {@code keep-alive} and a {@code no-agent} row; in the rows' order.
   */
  public static List<Cost> costs(List<SummaryTable.Row> rows) {
    Map<String, List<SummaryTable.Row>> groups = new LinkedHashMap<>();
    for (SummaryTable.Row r : rows) {
      if (r.concurrency() == 1 && r.origins() == 1 && r.serverDelayMs() == 0) {
        groups.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
      }
    }
    List<Cost> out = new ArrayList<>();
    for (List<SummaryTable.Row> g : groups.values()) {
      Optional<SummaryTable.Row> ka = find(g, Strategy.KEEP_ALIVE);
      Optional<SummaryTable.Row> none = find(g, Strategy.NO_AGENT);
      if (ka.isEmpty() || none.isEmpty()) {
        continue;
      }
      SummaryTable.Row first = ka.get();
      out.add(
          new Cost(
              first.files().scheme(),
              first.rttMs(),
              first.payload(),
              Micros.perRequest(ka.get()),
              Micros.perRequest(none.get()),
              find(g, Strategy.CLOSE_RESUME).map(Micros::perRequest).orElse(null)));
    }
    return out;
  }

  private static String key(SummaryTable.Row r) {
    return r.files().scheme() + " " + r.rttMs() + " " + r.payload();
  }

  private static Optional<SummaryTable.Row> find(List<SummaryTable.Row> rows, String strategy) {
    return rows.stream().filter(r -> r.strategy().equals(strategy)).findFirst();
  }

  /**
   * A markdown section: the costs per scheme and distance, then the TLS handshake alone where http
   * was measured at the same distance and payload; empty when no concurrency-1 run has the rows.
   */
  public static String markdown(List<SummaryTable.Row> rows) {
    List<Cost> costs = costs(rows);
    if (costs.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("### What a new connection costs (concurrency 1)\n\n")
        .append("Time per request = 1 / throughput, µs, [bounds from the rows' 95 % intervals]. ")
        .append("`no-agent` − `keep-alive` = a TCP connect + a full TLS handshake (over http: the")
        .append(
            " connect alone); `close-resume` − `keep-alive` = a TCP connect + a resumed one.\n\n")
        .append(
            "| scheme | RTT (ms) | payload (B) | keep-alive | no-agent | close-resume |"
                + " new connection, full handshake | new connection, resumed |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Cost c : costs) {
      sb.append("| ")
          .append(c.scheme())
          .append(" | ")
          .append(c.rttMs())
          .append(" | ")
          .append(c.payload())
          .append(" | ")
          .append(c.keepAlive().format())
          .append(" | ")
          .append(c.noAgent().format())
          .append(" | ")
          .append(c.closeResume() == null ? "–" : c.closeResume().format())
          .append(" | ")
          .append(c.full().format())
          .append(" | ")
          .append(c.resumed() == null ? "–" : c.resumed().format())
          .append(" |\n");
    }
    sb.append('\n');
    List<String> tlsAlone = new ArrayList<>();
    for (Cost tls : costs) {
      if (!tls.scheme().equals("https")) {
        continue;
      }
      for (Cost plain : costs) {
        if (plain.scheme().equals("http")
            && plain.rttMs() == tls.rttMs()
            && plain.payload() == tls.payload()) {
          tlsAlone.add(
              "- TLS alone ("
                  + (tls.rttMs() == 0 ? "loopback" : "RTT " + tls.rttMs() + " ms")
                  + ", "
                  + tls.payload()
                  + " B): full handshake "
                  + tls.full().minus(plain.full()).format()
                  + " µs"
                  + (tls.resumed() == null
                      ? ""
                      : ", resumed " + tls.resumed().minus(plain.full()).format() + " µs")
                  + " per new connection, over the TCP connect.\n");
        }
      }
    }
    tlsAlone.forEach(sb::append);
    if (!tlsAlone.isEmpty()) {
      sb.append('\n');
    }
    return sb.toString();
  }
}
