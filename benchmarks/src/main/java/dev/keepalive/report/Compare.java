package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Regression comparison of two JMH JSON result files. Entries match by benchmark, mode and
 * parameters. The direction comes from the mode: throughput ({@code thrpt}) higher is better; the
 * time modes ({@code avgt}, {@code sample}, {@code ss}) lower is better. A change counts only when
 * it exceeds the threshold <i>and</i> the two scores' confidence intervals do not overlap (when
 * either has no interval, the threshold alone decides).
 */
public final class Compare {

  /** One JMH entry's primary score. */
  public record Entry(
      String key,
      String benchmark,
      String mode,
      Map<String, String> params,
      double score,
      double low,
      double high,
      String unit) {

    boolean higherIsBetter() {
      return mode.equals("thrpt");
    }

    String name() {
      StringBuilder sb =
          new StringBuilder(
              benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
      params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
      return sb.append(" [").append(mode).append(']').toString();
    }
  }

  /** The verdict for one matched entry. */
  public enum Verdict {
    IMPROVED,
    REGRESSED,
    UNCHANGED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A matched pair and its verdict. */
  public record Result(Entry base, Entry now, double ratio, Verdict verdict) {}

  /** The comparison of two files. */
  public record Comparison(
      double thresholdPercent,
      List<Result> results,
      List<Entry> onlyInBase,
      List<Entry> onlyInNew) {
    public long regressions() {
      return results.stream().filter(r -> r.verdict() == Verdict.REGRESSED).count();
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
    Map<String, Entry> out = new LinkedHashMap<>();
    for (JsonNode e : root) {
      JsonNode pm = e.get("primaryMetric");
      if (!e.hasNonNull("benchmark") || !e.hasNonNull("mode") || pm == null || !pm.has("score")) {
        throw new IOException(
            file + " is not JMH JSON (an entry lacks benchmark, mode or primaryMetric.score)");
      }
      Map<String, String> params = new TreeMap<>();
      e.path("params")
          .fields()
          .forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
      SAME_AS_BEFORE_THE_PARAMETER.forEach((name, value) -> params.remove(name, value));
      JsonNode ci = pm.path("scoreConfidence");
      double low = ci.isArray() && ci.size() == 2 ? ci.get(0).asDouble(Double.NaN) : Double.NaN;
      double high = ci.isArray() && ci.size() == 2 ? ci.get(1).asDouble(Double.NaN) : Double.NaN;
      String key = e.get("benchmark").asText() + "|" + e.get("mode").asText() + "|" + params;
      JsonNode score = pm.get("score");
      Entry entry =
          new Entry(
              key,
              e.get("benchmark").asText(),
              e.get("mode").asText(),
              params,
              score.isNumber() ? score.asDouble() : Double.NaN,
              low,
              high,
              pm.path("scoreUnit").asText(""));
      // JMH writes a score it could not compute as the string "NaN"
      if (!(Double.isFinite(entry.score()) && entry.score() >= 0)) {
        throw new IOException(
            file + ": " + entry.name() + " has score " + score + ", not a number >= 0");
      }
      out.put(key, entry);
    }
    return out;
  }

  /**
   * Matches the entries of both sides and gives each pair a verdict.
   *
   * @throws IllegalArgumentException when nothing can be compared: no entry of {@code now} matches
   *     one of {@code base}, or a matched base score is 0 (no ratio)
   */
  public static Comparison compare(
      Map<String, Entry> base, Map<String, Entry> now, double thresholdPercent) {
    List<Result> results = new ArrayList<>();
    List<Entry> onlyInBase = new ArrayList<>();
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
      double ratio = n.score() / b.score();
      boolean beyondThreshold = Math.abs(ratio - 1) * 100 > thresholdPercent;
      boolean overlap =
          !Double.isNaN(b.low())
              && !Double.isNaN(n.low())
              && b.low() <= n.high()
              && n.low() <= b.high();
      Verdict v = Verdict.UNCHANGED;
      if (beyondThreshold && !overlap) {
        boolean better = b.higherIsBetter() ? ratio > 1 : ratio < 1;
        v = better ? Verdict.IMPROVED : Verdict.REGRESSED;
      }
      results.add(new Result(b, n, ratio, v));
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
    return new Comparison(thresholdPercent, results, onlyInBase, onlyInNew);
  }

  public static String markdown(Comparison c) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "## Regression comparison (threshold %.1f%%, and confidence intervals must not overlap)%n%n",
                c.thresholdPercent()));
    sb.append("| benchmark | unit | base | new | new / base | better is | verdict |\n");
    sb.append("|---|---|---:|---:|---:|---|---|\n");
    for (Result r : c.results()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,.3f | %,.3f | %.3f | %s | %s |%n",
              r.base().name(),
              r.base().unit(),
              r.base().score(),
              r.now().score(),
              r.ratio(),
              r.base().higherIsBetter() ? "higher" : "lower",
              r.verdict() == Verdict.REGRESSED ? "**regressed**" : r.verdict().label()));
    }
    if (!c.onlyInBase().isEmpty()) {
      sb.append("\nOnly in BASE (not compared):\n");
      c.onlyInBase().forEach(e -> sb.append("- ").append(e.name()).append('\n'));
    }
    if (!c.onlyInNew().isEmpty()) {
      sb.append("\nOnly in NEW (not compared):\n");
      c.onlyInNew().forEach(e -> sb.append("- ").append(e.name()).append('\n'));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%n%d compared: %d regressed, %d improved, %d unchanged.%n",
            c.results().size(),
            c.regressions(),
            c.results().stream().filter(r -> r.verdict() == Verdict.IMPROVED).count(),
            c.results().stream().filter(r -> r.verdict() == Verdict.UNCHANGED).count()));
    return sb.toString();
  }

  public static String json(Comparison c) throws IOException {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("thresholdPercent", c.thresholdPercent());
    root.put("regressions", c.regressions());
    ArrayNode results = root.putArray("results");
    for (Result r : c.results()) {
      ObjectNode n = results.addObject();
      n.put("name", r.base().name())
          .put("unit", r.base().unit())
          .put("base", r.base().score())
          .put("new", r.now().score())
          .put("ratio", r.ratio())
          .put("higherIsBetter", r.base().higherIsBetter())
          .put("verdict", r.verdict().label());
    }
    c.onlyInBase().forEach(e -> root.withArray("onlyInBase").add(e.name()));
    c.onlyInNew().forEach(e -> root.withArray("onlyInNew").add(e.name()));
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** The files {@link #writeCustomFormat} writes into a folder. */
  public static final List<String> CUSTOM_FORMAT_FILES =
      List.of("customBiggerIsBetter.json", "customSmallerIsBetter.json");

  /** Those of {@link #CUSTOM_FORMAT_FILES} that exist in {@code dir} already. */
  public static List<Path> existingCustomFormat(Path dir) {
    return CUSTOM_FORMAT_FILES.stream().map(dir::resolve).filter(Files::exists).toList();
  }

  /**
   * The NEW scores in the format common CI benchmark actions read: {@code
   * customBiggerIsBetter.json} (throughput) and {@code customSmallerIsBetter.json} (time modes),
   * arrays of {@code {name, unit, value, range}}, written into {@code dir}.
   *
   * @param replace whether files of those names in {@code dir} may be replaced; if not, an existing
   *     one fails the call before anything is written
   */
  public static List<Path> writeCustomFormat(Map<String, Entry> now, Path dir, boolean replace)
      throws IOException {
    List<Path> existing = existingCustomFormat(dir);
    if (!replace && !existing.isEmpty()) {
      throw new FileAlreadyExistsException(
          existing.get(0).toString(), null, "exists already; not replaced");
    }
    ObjectMapper m = new ObjectMapper();
    ArrayNode bigger = m.createArrayNode();
    ArrayNode smaller = m.createArrayNode();
    for (Entry e : now.values()) {
      ObjectNode n = (e.higherIsBetter() ? bigger : smaller).addObject();
      n.put("name", e.name()).put("unit", e.unit()).put("value", e.score());
      if (!Double.isNaN(e.high())) {
        n.put("range", String.format(Locale.ROOT, "± %.3f", (e.high() - e.low()) / 2));
      }
    }
    List<Path> written = new ArrayList<>();
    Files.createDirectories(dir);
    Path b = dir.resolve(CUSTOM_FORMAT_FILES.get(0));
    Files.writeString(b, m.writerWithDefaultPrettyPrinter().writeValueAsString(bigger) + "\n");
    written.add(b);
    Path s = dir.resolve(CUSTOM_FORMAT_FILES.get(1));
    Files.writeString(s, m.writerWithDefaultPrettyPrinter().writeValueAsString(smaller) + "\n");
    written.add(s);
    return written;
  }
}
