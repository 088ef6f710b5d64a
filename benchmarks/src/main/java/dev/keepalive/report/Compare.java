package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Regression comparison of two JMH JSON result files. Entries match by benchmark, mode and
 * parameters. The direction comes from the mode: throughput ({@code thrpt}) higher is better; the
 * time modes ({@code avgt}, {@code sample}, {@code ss}) lower is better.
 *
 * <p>Each matched pair is judged from its raw samples ({@link RatioEstimate}: a bootstrap interval
 * of the ratio of medians, forks as the unit of evidence when each side has two or more), never
 * from JMH's score intervals. The intervals are wide enough to hold all at once with 95 %
 * confidence ({@link #rowConfidence}), so that the verdicts of a whole comparison, not of each row,
 * are wrong at most 5 % of the time:
 *
 * <ul>
 *   <li><b>unchanged</b>: the whole interval lies within the threshold of 1 (no change larger than
 *       the threshold is plausible);
 *   <li><b>regressed</b> / <b>improved</b>: the whole interval lies on one side of 1 and the ratio
 *       itself is beyond the threshold;
 *   <li><b>inconclusive</b>: anything else, including a pair without an interval (fewer than two
 *       samples on a side): the data allow a change larger than the threshold but do not establish
 *       one.
 * </ul>
 */
public final class Compare {

  /** One JMH entry: its primary score and the raw data behind it. */
  public record Entry(
      String key,
      String benchmark,
      String mode,
      Map<String, String> params,
      double score,
      double scoreError,
      String unit,
      List<double[]> rawData,
      String settings,
      String jdk,
      String name) {

    boolean higherIsBetter() {
      return mode.equals("thrpt");
    }
  }

  /** The verdict for one matched entry. */
  public enum Verdict {
    IMPROVED,
    REGRESSED,
    UNCHANGED,
    INCONCLUSIVE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A matched pair, its estimate and its verdict. */
  public record Result(Entry base, Entry now, RatioEstimate estimate, Verdict verdict) {
    public double ratio() {
      return estimate.ratio();
    }
  }

  /**
   * The comparison of two files.
   *
   * @param setupDifferences what differs between the two runs' machines, JDKs or JMH settings, one
   *     sentence each; empty when nothing does (or nothing is known)
   */
  public record Comparison(
      double thresholdPercent,
      List<Result> results,
      List<Entry> onlyInBase,
      List<Entry> onlyInNew,
      List<String> setupDifferences) {

    public long count(Verdict v) {
      return results.stream().filter(r -> r.verdict() == v).count();
    }

    public long regressions() {
      return count(Verdict.REGRESSED);
    }
  }

  /**
   * Parameters added after runs were published, each with the value under which a run measures what
   * runs from before the parameter measured ({@code rttMs=0}: loopback, no relay; {@code
   * scheme=http}: no TLS). Left out of the match, so that a baseline older than the parameter still
   * meets its entries.
   */
  static final Map<String, String> SAME_AS_BEFORE_THE_PARAMETER =
      Map.of("rttMs", "0", "scheme", "http");

  private Compare() {}

  /**
   * @throws IOException one line, when the file is unreadable or not JMH JSON
   */
  public static Map<String, Entry> load(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(
          "cannot read "
              + file
              + ": "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || !root.isArray()) {
      throw new IOException(file + " is not JMH JSON (expected an array of results)");
    }
    if (root.isEmpty()) {
      throw new IOException(file + " holds no results (an empty array): nothing to compare");
    }
    for (JsonNode e : root) {
      JsonNode pm = e.get("primaryMetric");
      if (!e.hasNonNull("benchmark") || !e.hasNonNull("mode") || pm == null || !pm.has("score")) {
        throw new IOException(
            file + " is not JMH JSON (an entry lacks benchmark, mode or primaryMetric.score)");
      }
    }
    Map<String, Set<String>> varying = RowName.varyingParams(root);
    Map<String, Entry> out = new LinkedHashMap<>();
    for (JsonNode e : root) {
      JsonNode pm = e.get("primaryMetric");
      Map<String, String> params = new TreeMap<>();
      e.path("params")
          .fields()
          .forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
      String benchmark = e.get("benchmark").asText();
      String mode = e.get("mode").asText();
      String name = RowName.of(benchmark, mode, params, varying.get(benchmark));
      SAME_AS_BEFORE_THE_PARAMETER.forEach((p, value) -> params.remove(p, value));
      JsonNode score = pm.get("score");
      double value = score.isNumber() ? score.asDouble() : Double.NaN;
      // JMH writes a score it could not compute as the string "NaN"
      if (!(Double.isFinite(value) && value >= 0)) {
        throw new IOException(file + ": " + name + " has score " + score + ", not a number >= 0");
      }
      String key = benchmark + "|" + mode + "|" + params;
      out.put(
          key,
          new Entry(
              key,
              benchmark,
              mode,
              params,
              value,
              pm.path("scoreError").asDouble(Double.NaN),
              pm.path("scoreUnit").asText(""),
              rawData(pm, value),
              settings(e),
              e.path("jdkVersion").asText("") + " " + e.path("vmName").asText(""),
              name));
    }
    return out;
  }

  /** The entry's iteration scores per fork; the score alone when the file has no raw data. */
  private static List<double[]> rawData(JsonNode pm, double score) {
    JsonNode raw = pm.path("rawData");
    if (!raw.isArray() || raw.isEmpty()) {
      return List.of(new double[] {score});
    }
    List<double[]> forks = new ArrayList<>();
    for (JsonNode fork : raw) {
      double[] its = new double[fork.size()];
      for (int i = 0; i < its.length; i++) {
        its[i] = fork.get(i).asDouble(Double.NaN);
      }
      forks.add(its);
    }
    return List.copyOf(forks);
  }

  /**
   * "5 × 1 s, warmup 6 × 1 s, 1 thread": the JMH settings that shape each sample. The number of
   * forks is left out: it is how much evidence a row has (the suite gives rows different numbers of
   * forks), shown per row, not a difference in what was measured.
   */
  static String settings(JsonNode e) {
    int threads = e.path("threads").asInt();
    return String.format(
        Locale.ROOT,
        "%d × %s, warmup %d × %s, %d thread%s",
        e.path("measurementIterations").asInt(),
        e.path("measurementTime").asText("?"),
        e.path("warmupIterations").asInt(),
        e.path("warmupTime").asText("?"),
        threads,
        threads == 1 ? "" : "s");
  }

  /**
   * Matches the entries of both sides and gives each pair a verdict; nothing known about the
   * machines.
   */
  public static Comparison compare(
      Map<String, Entry> base, Map<String, Entry> now, double thresholdPercent) {
    return compare(base, null, now, null, thresholdPercent);
  }

  /**
   * Matches the entries of both sides and gives each pair a verdict.
   *
   * @param baseEnv BASE's {@code env.json}, or null when it has none
   * @param nowEnv NEW's {@code env.json}, or null when it has none
   * @throws IllegalArgumentException when nothing can be compared: no entry of {@code now} matches
   *     one of {@code base}, or a matched base score is 0 (no ratio)
   */
  public static Comparison compare(
      Map<String, Entry> base,
      Environment baseEnv,
      Map<String, Entry> now,
      Environment nowEnv,
      double thresholdPercent) {
    return compare(
        base,
        baseEnv,
        now,
        nowEnv,
        thresholdPercent,
        (b, n, confidence) ->
            RatioEstimate.of(b.rawData(), n.rawData(), b.key().hashCode(), confidence));
  }

  /**
   * Compares runs measured in interleaved rounds: {@code base.get(i)} and {@code now.get(i)} ran
   * side by side in round {@code i}. Each row's ratio and interval come from its rounds' ratios
   * ({@link RatioEstimate#paired}), so that a machine that slowed for some minutes slows both sides
   * of those rounds and drops out; a row uses the rounds in which both sides have it with a
   * positive figure (never in the same round: the merged forks' bootstrap, as unpaired). The
   * entries shown are each side's runs merged ({@link #merge}).
   *
   * @throws IllegalArgumentException when the sides have different numbers of rounds, or nothing
   *     can be compared (as {@link #compare(Map, Environment, Map, Environment, double)})
   */
  public static Comparison comparePaired(
      List<Map<String, Entry>> base,
      Environment baseEnv,
      List<Map<String, Entry>> now,
      Environment nowEnv,
      double thresholdPercent) {
    if (base.size() != now.size()) {
      throw new IllegalArgumentException(
          "paired rounds need as many BASE runs as NEW runs; were "
              + base.size()
              + " and "
              + now.size());
    }
    return compare(
        merge(base),
        baseEnv,
        merge(now),
        nowEnv,
        thresholdPercent,
        (b, n, confidence) -> {
          List<Double> bs = new ArrayList<>();
          List<Double> ns = new ArrayList<>();
          for (int i = 0; i < base.size(); i++) {
            Entry bi = base.get(i).get(b.key());
            Entry ni = now.get(i).get(b.key());
            double bv = bi == null ? Double.NaN : RatioEstimate.roundValue(bi.rawData());
            double nv = ni == null ? Double.NaN : RatioEstimate.roundValue(ni.rawData());
            // a round in which a side lacks the row, or has no positive figure for it, pairs
            // nothing for this row; the row's evidence counts the rounds it rests on
            if (bv > 0 && nv > 0 && Double.isFinite(bv) && Double.isFinite(nv)) {
              bs.add(bv);
              ns.add(nv);
            }
          }
          if (bs.isEmpty()) {
            // never in the same round: nothing paired to go on, so the forks as if unpaired
            return RatioEstimate.of(b.rawData(), n.rawData(), b.key().hashCode(), confidence);
          }
          return RatioEstimate.paired(
              bs.stream().mapToDouble(Double::doubleValue).toArray(),
              ns.stream().mapToDouble(Double::doubleValue).toArray(),
              confidence);
        });
  }

  /** How one matched pair is estimated, at the confidence level given. */
  private interface Estimator {
    RatioEstimate estimate(Entry base, Entry now, double confidence);
  }

  private static Comparison compare(
      Map<String, Entry> base,
      Environment baseEnv,
      Map<String, Entry> now,
      Environment nowEnv,
      double thresholdPercent,
      Estimator estimator) {
    List<Result> results = new ArrayList<>();
    List<Entry> onlyInBase = new ArrayList<>();
    long matched = base.keySet().stream().filter(now::containsKey).count();
    double confidence = rowConfidence(matched);
    for (Entry b : base.values()) {
      Entry n = now.get(b.key());
      if (n == null) {
        onlyInBase.add(b);
        continue;
      }
      if (b.score() == 0) {
        throw new IllegalArgumentException(
            "BASE's " + b.name() + " has score 0: no ratio can be formed against it");
      }
      RatioEstimate est = estimator.estimate(b, n, confidence);
      results.add(new Result(b, n, est, verdict(est, b.higherIsBetter(), thresholdPercent)));
    }
    if (results.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to compare: none of NEW's "
              + now.size()
              + " entries matches one of BASE's "
              + base.size()
              + " (entries match by benchmark, mode and parameters)");
    }
    List<Entry> onlyInNew = now.values().stream().filter(n -> !base.containsKey(n.key())).toList();
    return new Comparison(
        thresholdPercent,
        results,
        onlyInBase,
        onlyInNew,
        setupDifferences(baseEnv, nowEnv, results));
  }

  /**
   * Several runs of one side as one: each entry with every fork of every run that has it, in the
   * runs' order, and the score JMH would give them (the mean of all their iterations). Settings or
   * JDKs that differ between the runs are all named ("; "), so that a comparison says so.
   */
  public static Map<String, Entry> merge(List<Map<String, Entry>> runs) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    Map<String, List<Entry>> byKey = new LinkedHashMap<>();
    runs.forEach(r -> r.forEach((k, e) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(e)));
    Map<String, Entry> out = new LinkedHashMap<>();
    byKey.forEach(
        (k, entries) -> {
          Entry first = entries.get(0);
          if (entries.size() == 1) {
            out.put(k, first);
            return;
          }
          List<double[]> forks = new ArrayList<>();
          entries.forEach(e -> forks.addAll(e.rawData()));
          double score =
              forks.stream().flatMapToDouble(java.util.Arrays::stream).average().orElse(0);
          out.put(
              k,
              new Entry(
                  k,
                  first.benchmark(),
                  first.mode(),
                  first.params(),
                  score,
                  Double.NaN,
                  first.unit(),
                  List.copyOf(forks),
                  joinDistinct(entries, Entry::settings),
                  joinDistinct(entries, Entry::jdk),
                  first.name()));
        });
    return out;
  }

  private static String joinDistinct(
      List<Entry> entries, java.util.function.Function<Entry, String> f) {
    return String.join("; ", entries.stream().map(f).distinct().toList());
  }

  /**
   * Each row's confidence level, so that all {@code rows} intervals hold at once with {@link
   * RatioEstimate#CONFIDENCE} (Bonferroni): with 11 rows each interval is a 99.5 % one. Without
   * this, a comparison of many rows finds a "regression" in identical builds far more often than 1
   * − CONFIDENCE of the time.
   */
  static double rowConfidence(long rows) {
    return 1 - (1 - RatioEstimate.CONFIDENCE) / Math.max(1, rows);
  }

  /** The verdict of one estimate; see the class comment. */
  static Verdict verdict(RatioEstimate est, boolean higherIsBetter, double thresholdPercent) {
    if (!est.hasInterval()) {
      return Verdict.INCONCLUSIVE;
    }
    double t = thresholdPercent / 100;
    if (est.low() >= 1 - t && est.high() <= 1 + t) {
      return Verdict.UNCHANGED;
    }
    boolean up = est.low() > 1 && est.ratio() > 1 + t;
    boolean down = est.high() < 1 && est.ratio() < 1 - t;
    if (up || down) {
      return up == higherIsBetter ? Verdict.IMPROVED : Verdict.REGRESSED;
    }
    return Verdict.INCONCLUSIVE;
  }

  /**
   * One sentence per thing that differs between the two runs' setups: CPU model, cores, JDK (from
   * {@code env.json}, else from JMH's own record of the JDK), and JMH settings of the matched
   * entries.
   */
  static List<String> setupDifferences(
      Environment baseEnv, Environment nowEnv, List<Result> results) {
    List<String> out = new ArrayList<>();
    if (baseEnv == null || nowEnv == null) {
      String which =
          baseEnv == null && nowEnv == null
              ? "Neither run has an env.json"
              : baseEnv == null ? "BASE has no env.json" : "NEW has no env.json";
      out.add(which + ": whether the machines differ is unknown.");
    } else {
      differs(out, "CPU", baseEnv.cpuModel(), nowEnv.cpuModel());
      differs(out, "cores", String.valueOf(baseEnv.cores()), String.valueOf(nowEnv.cores()));
      differs(out, "JDK", baseEnv.jdk(), nowEnv.jdk());
    }
    if (baseEnv == null || nowEnv == null) {
      differs(
          out, "JDK", distinct(results, true, Entry::jdk), distinct(results, false, Entry::jdk));
    }
    differs(
        out,
        "JMH settings",
        distinct(results, true, Entry::settings),
        distinct(results, false, Entry::settings));
    return out;
  }

  /**
   * The {@code precision.json} that belongs to a run's JMH JSON: {@code NAME.precision.json} beside
   * {@code NAME.jmh.json} when there is one (several runs' copies in one folder, as
   * scripts/planted-slowdown.sh keeps them), else the {@code precision.json} in the file's folder
   * (a suite's run folder).
   */
  public static Path precisionFileOf(Path jmhJson) {
    Path abs = jmhJson.toAbsolutePath();
    String name = abs.getFileName().toString();
    if (name.endsWith(".jmh.json")) {
      Path own =
          abs.resolveSibling(
              name.substring(0, name.length() - ".jmh.json".length()) + ".precision.json");
      if (Files.exists(own)) {
        return own;
      }
    }
    return abs.resolveSibling("precision.json");
  }

  /**
   * Per CPU, the median over a run's forks of the suite's CPU probe ({@code precision.json}'s
   * {@code cpuProbeMillis}, ms); empty when the file is absent or holds no probe.
   *
   * @throws IOException when the file exists but cannot be read
   */
  public static List<Double> probeMedians(Path precisionJson) throws IOException {
    return probeMedians(List.of(precisionJson));
  }

  /**
   * {@link #probeMedians(Path)} over the forks of several runs of one side; files that are absent
   * are skipped.
   *
   * @throws IOException when a file exists but cannot be read
   */
  public static List<Double> probeMedians(List<Path> precisionJsons) throws IOException {
    List<List<Double>> perCpu = new ArrayList<>();
    for (Path precisionJson : precisionJsons) {
      if (Files.isRegularFile(precisionJson)) {
        addProbes(precisionJson, perCpu);
      }
    }
    List<Double> out = new ArrayList<>();
    for (List<Double> v : perCpu) {
      out.add(RatioEstimate.median(v.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    return out;
  }

  private static void addProbes(Path precisionJson, List<List<Double>> perCpu) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(precisionJson.toFile());
    } catch (IOException e) {
      throw new IOException(
          precisionJson
              + " cannot be read: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
          e);
    }
    for (JsonNode row : root.path("rows")) {
      for (JsonNode fork : row.path("cpuProbeMillis")) {
        for (int c = 0; c < fork.size(); c++) {
          while (perCpu.size() <= c) {
            perCpu.add(new ArrayList<>());
          }
          perCpu.get(c).add(fork.get(c).asDouble());
        }
      }
    }
  }

  /** How far the two runs' CPU probes may differ before the comparison says so, %. */
  public static final double PROBE_DIFFERENCE_PERCENT = 5;

  /**
   * A sentence when the two runs' CPUs ran at speeds more than {@value #PROBE_DIFFERENCE_PERCENT} %
   * apart (the suite's probe, median per CPU); null when they did not, or either run has no probe.
   */
  public static String cpuSpeedDifference(List<Double> base, List<Double> now) {
    if (base.isEmpty() || base.size() != now.size()) {
      return null;
    }
    double worst = 0;
    for (int c = 0; c < base.size(); c++) {
      worst = Math.max(worst, Math.abs(base.get(c) / now.get(c) - 1) * 100);
    }
    if (worst <= PROBE_DIFFERENCE_PERCENT) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "CPU speed differs: the suite's probe took a median of %s ms per CPU in BASE's run and %s"
            + " ms in NEW's, up to %.0f %% apart (the host gave the CPUs more or less time): a"
            + " change of that order may be the machine.",
        millis(base),
        millis(now),
        worst);
  }

  private static String millis(List<Double> v) {
    return v.stream()
        .map(x -> String.format(Locale.ROOT, "%.1f", x))
        .collect(java.util.stream.Collectors.joining(" / "));
  }

  private static String distinct(
      Collection<Result> results, boolean base, java.util.function.Function<Entry, String> f) {
    Set<String> values = new LinkedHashSet<>();
    results.forEach(r -> values.add(f.apply(base ? r.base() : r.now())));
    return String.join("; ", values);
  }

  private static void differs(List<String> out, String what, String base, String now) {
    if (!Objects.equals(base, now)) {
      out.add(what + " differ: BASE " + base + ", NEW " + now + ".");
    }
  }
}
