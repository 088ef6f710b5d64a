package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keepalive.bench.KneeSweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code report DIR|JSON}: the tables and charts of a finished run. {@link #render} reads the run
 * and writes nothing; {@link #write} puts {@code summary.md} and the {@code *.png} charts into the
 * run's folder (or another folder the caller names); the suite calls the same code at its end.
 */
public final class Report {

  /** What was written, for the caller to print or link. */
  public record Written(Path summary, String markdown, List<String> charts) {}

  /**
   * A run's report, not written yet.
   *
   * @param dir the run's folder (where its {@code jmh.json} is)
   * @param charts PNG bytes by file name, in reading order; the markdown links them by name
   */
  public record Rendered(Path dir, String markdown, Map<String, byte[]> charts) {}

  /** How to read the tables, from the run's own machine and rows. */
  static String notes(Environment env, List<SummaryTable.Row> rows) {
    String text =
        "How to read this: throughput is completed requests per second under a closed loop (each"
            + " completion issues the next request); ± is the 95% confidence interval's half-width,"
            + " relative to the score: over the means of the row's forks when it has 3 or more (what"
            + " a rerun would show), otherwise over its iterations, marked (it): that one leaves out"
            + " fork-to-fork variation. \"vs keep-alive\" is the row's throughput over the keep-alive"
            + " row of the same table. Latency comes from our HdrHistograms (issue → last byte),"
            + " measurement iterations only; under a closed loop the tails carry coordinated"
            + " omission: a slow response delays the requests queued behind it instead of being"
            + " measured by them. Connections / 1k requests and reuse % are the server's own count in"
            + " the measurement iterations (the pool's connections were opened during warmup). "
            + RunProse.path(rows)
            + " "
            + RunProse.machine(env);
    return wrap(text);
  }

  /** Lines of at most 100 characters, as the rest of the markdown, each ending in a newline. */
  static String wrap(String text) {
    return Headline.wrap(text.replace("  ", " "), "", "", 100);
  }

  private Report() {}

  /**
   * Renders a run and writes it into the run's own folder.
   *
   * @param location a run folder holding {@code jmh.json}, or a {@code jmh.json} file
   * @throws IOException when the input is unreadable or not JMH JSON (one line, no stack trace)
   */
  public static Written write(Path location) throws IOException {
    Rendered r = render(location);
    return write(r, r.dir());
  }

  /** Writes {@code summary.md} and the charts of a rendered run into {@code dir}. */
  public static Written write(Rendered r, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> c : r.charts().entrySet()) {
      Files.write(dir.resolve(c.getKey()), c.getValue());
    }
    Path summary = dir.resolve("summary.md");
    Files.writeString(summary, r.markdown());
    return new Written(summary, r.markdown(), List.copyOf(r.charts().keySet()));
  }

  /**
   * Reads a run and renders its tables, environment and charts; writes nothing.
   *
   * @param location a run folder holding {@code jmh.json}, or a {@code jmh.json} file
   * @throws IOException when the input is unreadable or not JMH JSON (one line, no stack trace)
   */
  public static Rendered render(Path location) throws IOException {
    Path json = Files.isDirectory(location) ? location.resolve("jmh.json") : location;
    if (!Files.isRegularFile(json)) {
      throw new IOException("no JMH result file at " + json);
    }
    Path dir = json.toAbsolutePath().getParent();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new IOException(
          json + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isArray() || (root.size() > 0 && !root.get(0).has("primaryMetric"))) {
      throw new IOException(json + " is not a JMH JSON result array");
    }
    List<SummaryTable.Row> rows = SummaryTable.read(json, dir.resolve("hdr"));
    List<OverheadTable.Row> overhead = OverheadTable.read(json);
    List<FaultTable.Row> faults = FaultTable.read(json);
    Environment env = Environment.read(dir.resolve("env.json"));
    StringBuilder md = new StringBuilder("## keepalive-bench results\n\n");
    Optional<String> failed = RunFolder.failure(dir);
    if (failed.isPresent()) {
      md.append("- **this run failed**: ").append(failed.get()).append('\n');
    }
    List<Headline.Block> headline = Headline.of(rows);
    if (!headline.isEmpty()) {
      md.append("### The answer, per workload\n\n");
      headline.forEach(b -> md.append(b.markdown()));
      md.append('\n');
    }
    double target = target(dir);
    md.append(
        env != null ? env.markdown() : "- environment: not recorded with this run (no env.json)\n");
    md.append(settings(root));
    if (!rows.isEmpty()) {
      md.append("- server: ").append(SummaryTable.placements(rows)).append('\n');
    }
    md.append('\n');
    Map<String, byte[]> charts = new LinkedHashMap<>();
    if (!rows.isEmpty()) {
      md.append(precisionLine(dir));
      md.append(SummaryTable.markdown(rows, target));
      charts.putAll(Charts.render(rows, dir.resolve("hdr")));
      for (String c : charts.keySet()) {
        md.append("![").append(c.replace(".png", "")).append("](").append(c).append(")\n\n");
      }
      md.append(HandshakeCostTable.markdown(rows));
      String distance = DistanceTable.markdown(rows);
      if (!distance.isEmpty()) {
        md.append(distance);
        Map<String, byte[]> distanceCharts = DistanceTable.render(rows);
        for (String c : distanceCharts.keySet()) {
          md.append("![").append(c.replace(".png", "")).append("](").append(c).append(")\n\n");
        }
        charts.putAll(distanceCharts);
      }
    }
    if (!overhead.isEmpty()) {
      md.append(OverheadTable.markdown(overhead));
    }
    if (!faults.isEmpty()) {
      md.append(FaultTable.markdown(faults)).append('\n');
    }
    if (rows.isEmpty() && overhead.isEmpty() && faults.isEmpty()) {
      md.append("No StrategyBenchmark or OverheadBenchmark entries in ")
          .append(json)
          .append(".\n\n");
    }
    md.append(notes(env, rows));
    return new Rendered(dir, md.toString(), charts);
  }

  /**
   * The precision the run asked for ({@code --max-error}, from its {@code precision.json}); NaN
   * when it asked for none (a plain JMH run).
   */
  static double target(Path dir) throws IOException {
    Path file = dir.resolve(PRECISION_JSON);
    if (!Files.isRegularFile(file)) {
      return Double.NaN;
    }
    return new ObjectMapper().readTree(file.toFile()).path("maxErrorPercent").asDouble(Double.NaN);
  }

  /** The file in which the suite records how precisely it measured each row. */
  public static final String PRECISION_JSON = "precision.json";

  /**
   * {@code - precision: 28 of 31 rows within ±5 % (95 % CI); forks per row 1–4; 3 rounds in 5 min
   * 40 s}: what the suite's rounds reached, from {@code precision.json}; empty without one.
   */
  static String precisionLine(Path dir) throws IOException {
    Path file = dir.resolve(PRECISION_JSON);
    if (!Files.isRegularFile(file)) {
      return "";
    }
    JsonNode p = new ObjectMapper().readTree(file.toFile());
    int rows = p.path("rows").size();
    int within = 0;
    int minForks = Integer.MAX_VALUE;
    int maxForks = 0;
    for (JsonNode r : p.path("rows")) {
      within += "precision".equals(r.path("stop").asText()) ? 1 : 0;
      minForks = Math.min(minForks, r.path("forks").asInt());
      maxForks = Math.max(maxForks, r.path("forks").asInt());
    }
    long seconds = p.path("elapsedSeconds").asLong();
    return String.format(
        Locale.ROOT,
        "- precision asked: ±%s %% (95 %% CI), at least %d fork(s) per row, budget %d min; reached by"
            + " %d of %d rows, with %d–%d forks per row, in %d round(s), %d min %02d s%s%n%n",
        Precision.percent(p.path("maxErrorPercent").asDouble()),
        p.path("minForks").asInt(),
        p.path("budgetSeconds").asLong() / 60,
        within,
        rows,
        rows == 0 ? 0 : minForks,
        maxForks,
        p.path("rounds").asInt(),
        seconds / 60,
        seconds % 60,
        (p.hasNonNull("pinning") ? "; " + p.path("pinning").asText() : "")
            + cpuSpeed(p.path("cpuProbe")));
  }

  /**
   * {@code ; CPU speed before each fork (a fixed probe): CPU 0 at 64–100 %, CPU 1 at 98–100 % of
   * its fastest}, from {@code precision.json}'s probe; empty when the run was not probed.
   */
  public static String cpuSpeed(JsonNode probe) {
    JsonNode cpus = probe.path("cpus");
    JsonNode slowest = probe.path("slowestPercent");
    if (cpus.isEmpty() || slowest.size() != cpus.size()) {
      return "";
    }
    List<String> each = new ArrayList<>();
    boolean steady = true;
    for (int i = 0; i < cpus.size(); i++) {
      double pct = slowest.get(i).asDouble();
      steady &= pct >= 90;
      each.add(
          String.format(
              Locale.ROOT, "CPU %d at %.0f–100 %%", cpus.get(i).asInt(), Math.floor(pct)));
    }
    return "; CPU speed before each fork (a fixed probe): "
        + String.join(", ", each)
        + " of its fastest"
        + (steady
            ? ""
            : " (the host gave this machine's CPUs less time in some minutes: forks measured then"
                + " are slower, and the intervals include it)");
  }

  /**
   * The suite's terminal output: the headline blocks, then one aligned table per workload, fitting
   * 120 columns; the markdown form goes to {@code summary.md}.
   */
  public static String terminal(Path dir) throws IOException {
    List<SummaryTable.Row> rows = SummaryTable.read(dir.resolve("jmh.json"), dir.resolve("hdr"));
    StringBuilder sb = new StringBuilder();
    List<Headline.Block> headline = Headline.of(rows);
    if (!headline.isEmpty()) {
      sb.append("THE ANSWER, PER WORKLOAD\n\n");
      headline.forEach(b -> sb.append(b.text(118)).append('\n'));
    }
    sb.append(SummaryTable.text(rows, target(dir)));
    sb.append(
        Headline.wrap(
            "± is the 95 % confidence interval's half-width: over fork means with 3 or more forks,"
                + " over iterations (it) otherwise, which leaves out fork-to-fork variation. Latency"
                + " from our histograms (closed loop: tails carry coordinated omission)."
                + " conn / 1k req: the server's count.",
            "", "", 118));
    return sb.toString();
  }

  /**
   * Regenerates the published {@code results/README.md} from a run folder (and its {@code
   * overhead/} and {@code faults/} folders if present): how to reproduce, how to read the numbers,
   * the environment, the tables, the charts. Paths in it are relative to the README. Everything is
   * read and checked before anything is written: a run marked failed, a README that is a folder or
   * whose folder does not exist, or an unreadable input fails with nothing written; then the run's
   * {@code summary.md} and charts are refreshed and the README replaced in one move.
   */
  public static Path publish(Path run, Path readme) throws IOException {
    if (!Files.isDirectory(run)) {
      throw new IOException("a published run must be a run folder, was " + run);
    }
    for (Path dir :
        List.of(run, run.resolve("overhead"), run.resolve("faults"), run.resolve("distance"))) {
      Optional<String> failed = RunFolder.failure(dir);
      if (failed.isPresent()) {
        throw new IOException(
            dir + " is marked failed (" + failed.get() + "); publish a complete run");
      }
    }
    if (Files.isDirectory(readme)) {
      throw new IOException(
          readme
              + " is a folder; give the page to regenerate, e.g. "
              + readme.resolve("README.md"));
    }
    Path base = readme.toAbsolutePath().getParent();
    if (!Files.isDirectory(base)) {
      throw new IOException("no folder " + base + " for " + readme);
    }
    Rendered main = render(run);
    JsonNode mainRoot = new ObjectMapper().readTree(run.resolve("jmh.json").toFile());
    List<SummaryTable.Row> mainRows =
        SummaryTable.read(run.resolve("jmh.json"), run.resolve("hdr"));
    Environment mainEnv = Environment.read(run.resolve(Environment.FILE));
    String rel = base.relativize(run.toAbsolutePath()).toString();
    String body =
        main.markdown().replace("## keepalive-bench results\n", "").replace("](", "](" + rel + "/");
    StringBuilder md = new StringBuilder();
    md.append("# Published results\n\n");
    md.append(
        "What is HTTP/1.1 connection reuse worth, and what does bounding a pool cost? Measured by\n");
    md.append(
        "keepalive-bench's strategy suite: one benchmark thread keeps `concurrency` requests in flight against\n");
    md.append("the server (")
        .append(mainRows.isEmpty() ? "none in this run" : SummaryTable.placements(mainRows))
        .append("), for each strategy (table rows) and workload\n");
    md.append("(tables). Raw data of this run: [`")
        .append(rel)
        .append("/`](")
        .append(rel)
        .append("/) (`jmh.json`, `hdr/` with `.hgrm`/`.hlog` per benchmark, `env.json`).\n\n");
    md.append(wrap("**The machine.** " + RunProse.machine(mainEnv))).append("\n");
    md.append(
            "## How to reproduce\n\n```\nscripts/publish.sh          # this page: the suite with ")
        .append(RunProse.settings(mainRoot))
        .append(", the overhead, race and distance tables\n");
    md.append("mvn package && java -jar benchmarks.jar     # the same suite, short settings\n");
    md.append(
        "scripts/regression.sh --against REV   # this tree and REV in interleaved rounds (compare --paired)\n");
    md.append(
        "scripts/regression.sh       # suite --regression compared against results/baseline/jmh.json\n```\n\n");
    md.append("## How to read this\n\n");
    md.append(
        "- **Closed loop.** Each completed request issues the next one, so throughput is what the client\n");
    md.append(
        "  and server sustain together, and latency tails carry coordinated omission: a stalled response\n");
    md.append(
        "  delays the requests queued behind it rather than being counted by them. Percentiles are for\n");
    md.append("  comparing strategies under the same load, not for an SLO.\n");
    md.append("- **Loopback understates reuse.** Here a new connection cost ")
        .append(
            RunProse.newConnectionCostMicros(mainRows)
                .map(c -> DistanceTable.latency(c) + " at p50 (no-agent against keep-alive, c1)")
                .orElse("what the c1 rows show"))
        .append(". Over a\n");
    md.append(
        "  real network it costs a round trip (more with TLS), so `no-agent`'s deficit grows with distance:\n");
    md.append(
        "  the tables with an RTT put the relay (user-space, `dev.keepalive.net`) between client and server.\n");
    md.append(
        "- **Connections / 1k requests and reuse %** are the server's own count, measurement iterations\n");
    md.append(
        "  only: pooled strategies opened their connections during warmup, hence 0.0 and 100 %.\n");
    md.append(
        "- **Bounded pools** trade connections for queueing: with `max-sockets-N` below the concurrency the\n");
    md.append(
        "  rest wait in the agent's queue (the latency columns include that wait). `max-total-N` counts idle\n");
    md.append(
        "  sockets toward its bound and serves only the first waiting origin when a socket frees (Node's\n");
    md.append("  rule), which shows as a very low median with a long tail.\n");
    md.append(
        "- **Peers** (`jdk-httpclient`, `apache-hc5`, `okhttp`) run with `concurrency` threads on blocking\n");
    md.append(
        "  calls, their usual style, each body streamed into a reused buffer as our agent counts it;\n");
    md.append(
        "  `raw-socket` is the floor: bare keep-alive sockets, one per request in flight, all driven by\n");
    md.append("  one selector on the benchmark thread, as our agent's loop is.\n\n");
    md.append("## The run\n\n").append(body);
    Path overhead = run.resolve("overhead").resolve("jmh.json");
    if (Files.exists(overhead)) {
      md.append("\n## Overhead: each client against the raw-socket floor, same run\n\n");
      md.append(measuredAt(run.resolve("overhead")));
      md.append(OverheadTable.markdown(OverheadTable.read(overhead)));
    }
    Path faults = run.resolve("faults").resolve("jmh.json");
    if (Files.exists(faults)) {
      md.append("\n## The stale keep-alive race: what each remedy costs, same run\n\n");
      md.append(measuredAt(run.resolve("faults")));
      md.append(FaultTable.markdown(FaultTable.read(faults)));
    }
    Rendered distance = null;
    Path distanceJson = run.resolve("distance").resolve("jmh.json");
    if (Files.exists(distanceJson)) {
      distance = render(run.resolve("distance"));
      List<SummaryTable.Row> rows =
          SummaryTable.read(distanceJson, run.resolve("distance").resolve("hdr"));
      md.append("\n## What reuse is worth vs distance, same run\n\n");
      md.append(measuredAt(run.resolve("distance")));
      md.append("(measurement iterations grow with the RTT; see each row's requests)\n\n");
      md.append(DistanceTable.headline(rows)).append('\n');
      md.append(DistanceTable.markdown(rows));
      for (String c : DistanceTable.render(rows).keySet()) {
        md.append("![").append(c.replace(".png", "")).append("](").append(rel);
        md.append("/distance/").append(c).append(")\n\n");
      }
    }
    Path knee = run.resolve("knee").resolve(KneeTable.JSON);
    if (Files.exists(knee)) {
      KneeSweep.Result k = KneeSweep.Result.read(knee);
      md.append("\n## Open loop: what a pool bound costs when traffic does not wait, same run\n\n");
      md.append(
          KneeTable.markdown(k)
              .replace("## The knee: sustained rate per strategy (open loop)\n\n", ""));
      for (String c : KneeTable.charts(k).keySet()) {
        md.append("![").append(c.replace(".png", "")).append("](").append(rel);
        md.append("/knee/").append(c).append(")\n\n");
      }
    }
    Path draft = Files.createTempFile(base, ".README", ".md");
    try {
      Files.writeString(draft, md.toString());
      write(main, main.dir());
      if (distance != null) {
        write(distance, distance.dir());
      }
      Files.move(
          draft, readme, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(draft);
    }
    return readme;
  }

  private static String measuredAt(Path dir) throws IOException {
    Environment env = Environment.read(dir.resolve("env.json"));
    JsonNode root = new ObjectMapper().readTree(dir.resolve("jmh.json").toFile());
    return (env == null ? "" : "Measured " + env.date() + " at commit " + env.gitCommit() + ".\n")
        + settings(root)
        + "\n";
  }

  /** JMH version and settings, from the first entry (a suite uses one setting for all). */
  static String settings(JsonNode root) {
    if (root.isEmpty()) {
      return "";
    }
    JsonNode e = root.get(0);
    return String.format(
        Locale.ROOT,
        "- JMH %s: %d fork(s), warmup %d × %s, measurement %d × %s, %d thread(s), mode %s; VM %s%n",
        e.path("jmhVersion").asText("?"),
        e.path("forks").asInt(),
        e.path("warmupIterations").asInt(),
        e.path("warmupTime").asText("?"),
        e.path("measurementIterations").asInt(),
        e.path("measurementTime").asText("?"),
        e.path("threads").asInt(),
        e.path("mode").asText("?"),
        e.path("vmName").asText("?") + " " + e.path("vmVersion").asText(""));
  }
}
