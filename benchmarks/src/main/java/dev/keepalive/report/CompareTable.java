package dev.keepalive.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.report.Compare.Comparison;
import dev.keepalive.report.Compare.Entry;
import dev.keepalive.report.Compare.Result;
import dev.keepalive.report.Compare.Verdict;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** A {@link Comparison} as markdown or JSON; the JSON field names are a published schema. */
public final class CompareTable {

  /** How many names a line of rows on one side only shows before "and N more". */
  static final int ONE_SIDE_NAMES_SHOWN = 6;

  private CompareTable() {}

  public static String markdown(Comparison c) {
    StringBuilder sb = new StringBuilder("## Regression comparison\n\n");
    if (!c.setupDifferences().isEmpty()) {
      sb.append("**The two runs differ in setup; a change may come from that, not the code:**\n");
      c.setupDifferences().forEach(d -> sb.append("- ").append(d).append('\n'));
      sb.append('\n');
    }
    double rowConfidence = c.results().get(0).estimate().confidence();
    long paired = c.results().stream().filter(r -> r.estimate().paired()).count();
    String method =
        paired > 0
            ? "Verdicts from the rounds in which BASE and NEW ran side by side: each row's ratio"
                + " NEW / BASE is the geometric mean of its rounds' ratios, with Student's t"
                + " interval over the rounds"
                + (paired < c.results().size()
                    ? " (rows whose evidence is forks or iterations were never measured in the"
                        + " same round on both sides: a bootstrap of their merged forks)"
                    : "")
            : String.format(
                Locale.ROOT,
                "Verdicts from bootstrap intervals of the ratio NEW / BASE of the medians (%,d"
                    + " seeded resamples)",
                RatioEstimate.RESAMPLES);
    sb.append(
        String.format(
            Locale.ROOT,
            "%s, each at %s %% so that all %d hold together with %.0f %%"
                + " confidence; a change counts beyond ±%s %%. \"Detectable\" is half the"
                + " interval's width: smaller changes than that this row could not tell from"
                + " noise.%n%n",
            method,
            number(Math.round(rowConfidence * 10000) / 100.0),
            c.results().size(),
            RatioEstimate.CONFIDENCE * 100,
            number(c.thresholdPercent())));
    sb.append("| row | unit | base | new | new / base (CI) | detectable | evidence | verdict |\n");
    sb.append("|---|---|---:|---:|---:|---:|---|---|\n");
    for (Result r : c.results()) {
      RatioEstimate e = r.estimate();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,.3f | %,.3f | %s | %s | %s | %s |%n",
              r.now().name(),
              r.base().unit() + (r.base().higherIsBetter() ? "" : ", lower is better"),
              r.base().score(),
              r.now().score(),
              e.hasInterval()
                  ? String.format(
                      Locale.ROOT, "%.3f (%s–%s)", e.ratio(), bound(e.low()), bound(e.high()))
                  : String.format(Locale.ROOT, "%.3f (no interval)", e.ratio()),
              e.hasInterval()
                  ? (e.detectable() * 100 > WIDEST_SHOWN_PERCENT
                      ? "> ±" + (int) WIDEST_SHOWN_PERCENT + " %"
                      : String.format(Locale.ROOT, "±%.1f %%", e.detectable() * 100))
                  : "–",
              e.evidence(),
              r.verdict() == Verdict.REGRESSED ? "**regressed**" : r.verdict().label()));
    }
    sb.append('\n');
    if (c.results().stream().anyMatch(r -> !r.estimate().forks() && r.estimate().hasInterval())) {
      sb.append(
          "Rows whose evidence is iterations had fewer than "
              + RatioEstimate.MIN_FORKS
              + " forks on a side: their iterations were resampled as if independent, which they"
              + " are not (they share one JVM), so those intervals are too narrow; run more forks"
              + " (-f) for evidence a verdict can rest on.\n\n");
    }
    if (c.results().stream().anyMatch(r -> !r.estimate().hasInterval())) {
      sb.append(
          "A row without an interval has one sample on a side, or no raw data (JMH keeps none per"
              + " iteration in sample mode): it is inconclusive whatever its ratio.\n\n");
    }
    oneSide(sb, "BASE", c.onlyInBase());
    oneSide(sb, "NEW", c.onlyInNew());
    sb.append(
        String.format(
            Locale.ROOT,
            "%d compared: %d regressed, %d improved, %d unchanged, %d inconclusive.%n",
            c.results().size(),
            c.regressions(),
            c.count(Verdict.IMPROVED),
            c.count(Verdict.UNCHANGED),
            c.count(Verdict.INCONCLUSIVE)));
    return sb.toString();
  }

  /** One line for the rows of one side only. */
  private static void oneSide(StringBuilder sb, String side, List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<String> names = entries.stream().map(Entry::name).toList();
    sb.append("Only in ")
        .append(side)
        .append(", not compared (")
        .append(names.size())
        .append("): ")
        .append(String.join(", ", names.subList(0, Math.min(names.size(), ONE_SIDE_NAMES_SHOWN))));
    if (names.size() > ONE_SIDE_NAMES_SHOWN) {
      sb.append(" and ").append(names.size() - ONE_SIDE_NAMES_SHOWN).append(" more");
    }
    sb.append(".\n\n");
  }

  /**
   * Intervals wider than this many percent are shown as "> ±1000 %": a number that says nothing.
   */
  static final double WIDEST_SHOWN_PERCENT = 1000;

  /** An interval's end; ends beyond 1000× (as t gives with 2 rounds) as "> 1000". */
  private static String bound(double v) {
    return v > WIDEST_SHOWN_PERCENT ? "> 1000" : String.format(Locale.ROOT, "%.3f", v);
  }

  /** A threshold or percentage as written: "10", "2.5". */
  public static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  public static String json(Comparison c) throws IOException {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("thresholdPercent", c.thresholdPercent());
    root.put("confidence", RatioEstimate.CONFIDENCE);
    root.put("rowConfidence", c.results().get(0).estimate().confidence());
    root.put("regressions", c.regressions());
    c.setupDifferences().forEach(d -> root.withArray("setupDifferences").add(d));
    ArrayNode results = root.putArray("results");
    for (Result r : c.results()) {
      RatioEstimate e = r.estimate();
      ObjectNode n = results.addObject();
      n.put("name", r.now().name())
          .put("unit", r.base().unit())
          .put("base", r.base().score())
          .put("new", r.now().score())
          .put("ratio", e.ratio())
          .put("higherIsBetter", r.base().higherIsBetter())
          .put("evidence", e.paired() ? "paired rounds" : e.forks() ? "forks" : "iterations")
          .put("baseSamples", e.baseSamples())
          .put("newSamples", e.newSamples())
          .put("verdict", r.verdict().label());
      if (e.hasInterval()) {
        n.put("ratioLow", e.low())
            .put("ratioHigh", e.high())
            .put("detectablePercent", e.detectable() * 100);
      }
    }
    c.onlyInBase().forEach(e -> root.withArray("onlyInBase").add(e.name()));
    c.onlyInNew().forEach(e -> root.withArray("onlyInNew").add(e.name()));
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
