package dev.keepalive.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The knee of one strategy: the highest offered rate it sustains. From a light rate it doubles the
 * rate until a point fails, then bisects between the last rate that held and the first that did
 * not. A rate is sustained when every measured request ended ok, the generator kept its schedule,
 * the achieved rate is within 1 % of the offered one, and the p99 from the intended start is within
 * the SLO.
 *
 * <p>Thread-safety: immutable results; {@link #sweep} runs on the calling thread.
 */
public final class KneeSweep {

  /** Achieved below this share of the offered rate, a point is not sustained. */
  static final double ACHIEVED_SHARE = 0.99;

  /** Runs one point of a strategy at a rate. */
  public interface Points {
    RateTotals run(String strategy, int rate) throws Exception;
  }

  /**
   * One strategy's sweep.
   *
   * @param strategy the row
   * @param points the deciding point of every rate run, by rate
   * @param repeated first runs of rates that failed and were run again (the second decided)
   * @param sustainedRate the highest rate sustained, requests/s; 0 when not even the first was
   * @param reachedMax whether the highest rate tried was sustained (the knee lies beyond)
   * @param limit why the lowest failing rate failed, or null
   */
  public record Line(
      String strategy,
      List<RateTotals> points,
      List<RateTotals> repeated,
      int sustainedRate,
      boolean reachedMax,
      String limit) {}

  /**
   * A whole knee run: its SLO and a line per strategy; written as {@code knee.json}.
   *
   * @param sloP99Ms the SLO on p99 from the intended start, ms
   * @param sloBasis how the SLO was chosen, one sentence
   * @param lines one per strategy, in the order run
   */
  public record Result(double sloP99Ms, String sloBasis, List<Line> lines) {

    private static final ObjectMapper JSON =
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public void write(Path file) throws IOException {
      Files.writeString(file, JSON.writeValueAsString(this) + "\n");
    }

    public static Result read(Path file) throws IOException {
      return JSON.readValue(file.toFile(), Result.class);
    }
  }

  private KneeSweep() {}

  /** Null when {@code t} sustains its rate under {@code sloP99Ms}, else why not, in a few words. */
  public static String failure(RateTotals t, double sloP99Ms) {
    RateSummary m = t.measured();
    if (m.generatorBehind()) {
      return String.format(
          Locale.ROOT, "generator behind (lateness p99 %.1f ms)", m.latenessP99Ms());
    }
    if (m.errors() > 0) {
      return m.errors() + " of " + m.issued() + " failed " + m.errorsByClass();
    }
    if (m.achievedRate() < ACHIEVED_SHARE * t.rate()) {
      return String.format(Locale.ROOT, "achieved %.0f/s", m.achievedRate());
    }
    if (m.intendedP99Ms() == null || m.intendedP99Ms() > sloP99Ms) {
      return String.format(Locale.ROOT, "p99 %.2f ms > SLO", m.intendedP99Ms());
    }
    return null;
  }

  /**
   * @param fromRate the first rate, requests/s
   * @param maxRate no rate above this is tried
   * @param bisections bisection steps after the first failure
   */
  public static Line sweep(
      String strategy, Points points, int fromRate, int maxRate, int bisections, double sloP99Ms)
      throws Exception {
    List<RateTotals> run = new ArrayList<>();
    List<RateTotals> repeated = new ArrayList<>();
    Points decided =
        (st, rate) -> {
          RateTotals t = points.run(st, rate);
          if (failure(t, sloP99Ms) != null) {
            repeated.add(t);
            t = points.run(st, rate);
          }
          run.add(t);
          return t;
        };
    int good = 0;
    int bad = -1;
    String limit = null;
    for (int rate = Math.min(fromRate, maxRate); ; rate = (int) Math.min(2L * rate, maxRate)) {
      String why = failure(decided.run(strategy, rate), sloP99Ms);
      if (why != null) {
        bad = rate;
        limit = why;
        break;
      }
      good = rate;
      if (rate >= maxRate) {
        break;
      }
    }
    for (int i = 0; bad > 0 && i < bisections; i++) {
      int mid = (good + bad) / 2;
      if (mid <= good || mid >= bad || mid < 1) {
        break;
      }
      String why = failure(decided.run(strategy, mid), sloP99Ms);
      if (why == null) {
        good = mid;
      } else {
        bad = mid;
        limit = why;
      }
    }
    run.sort(Comparator.comparingInt(RateTotals::rate));
    repeated.sort(Comparator.comparingInt(RateTotals::rate));
    return new Line(strategy, List.copyOf(run), List.copyOf(repeated), good, bad < 0, limit);
  }
}
