package dev.keepalive.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The files one benchmark trial writes into a run's {@code hdr/} folder, and the one place that
 * builds and parses their names. For a trial of {@code StrategyBenchmark} with strategy {@code
 * keep-alive}, concurrency 16, payload 13, one origin, no server delay, in throughput mode:
 *
 * <pre>
 * StrategyBenchmark-keep-alive-c16-p13-o1-thrpt.hgrm           total latency, µs (HdrHistogram text)
 * StrategyBenchmark-keep-alive-c16-p13-o1-thrpt-queue.hgrm     another phase (queue, connect, response)
 * StrategyBenchmark-keep-alive-c16-p13-o1-thrpt.hlog           interval log, ns: per measurement
 *                                                              iteration the total untagged, the
 *                                                              other phases tagged
 * StrategyBenchmark-keep-alive-c16-p13-o1-thrpt.trial.json     whole-trial totals ({@link TrialTotals})
 * </pre>
 *
 * Every file covers every fork of the trial: each fork merges its data into what the forks before
 * it wrote ({@link TrialLog}, {@link TrialTotals#merge}).
 *
 * <p>A network distance adds {@code -r<rttMs>} (the relay's round trip time) after the origins, a
 * server delay adds {@code -d<serverDelayMs>}, application work between requests adds {@code
 * -w<work>} (JMH {@code Blackhole.consumeCPU} tokens), and TLS adds {@code -https}, in this order
 * before the mode: {@code StrategyBenchmark-keep-alive-c16-p13-o1-r10-d5-w100-https-thrpt}. A
 * parameter at 0 or plain http (or absent, in a run that predates it) is left out, so older names
 * still parse, as the trial they were. An open-loop trial ({@code RateBenchmark}, no concurrency:
 * {@code c0}) adds its offered rate, {@code -q<rate>}, and {@code -poisson} for Poisson arrivals,
 * last before the mode: {@code RateBenchmark-max-sockets-4-c0-p13-o1-d5-q2000-poisson-thrpt}, and
 * writes its open-loop totals ({@link RateTotals}) as {@code .rate.json}. The benchmark that writes
 * and every report that reads build a {@code TrialFiles} from the trial's JMH parameters ({@link
 * #of(BenchmarkParams)} in the forked JVM, {@link #of(String, String, Function)} from {@code
 * jmh.json}), so a parameter that tells trials apart is part of the name on both sides or on
 * neither. The names are a published format: results folders keep them.
 *
 * <p>Thread-safety: immutable (see the package).
 *
 * @param benchmark the benchmark class's simple name, e.g. {@code StrategyBenchmark}
 * @param strategy the {@code strategy} parameter
 * @param concurrency the {@code concurrency} parameter
 * @param payload the {@code payload} parameter
 * @param origins the {@code origins} parameter (1 when a run predates it)
 * @param rttMs the {@code rttMs} parameter: the relay's round trip time, 0 for a direct path (0
 *     when a run predates it)
 * @param serverDelayMs the {@code serverDelayMs} parameter (0 when a run predates it)
 * @param work the {@code work} parameter: {@code Blackhole.consumeCPU} tokens per completed request
 *     (0 when a run predates it)
 * @param scheme the {@code scheme} parameter, {@code http} or {@code https} ({@code http} when a
 *     run predates it)
 * @param mode JMH's short label of the mode, e.g. {@code thrpt}
 * @param rate the {@code rate} parameter, requests/s, of an open-loop trial; 0 for a closed loop
 * @param poisson whether an open-loop trial's {@code arrivals} parameter is {@code poisson}
 */
public record TrialFiles(
    String benchmark,
    String strategy,
    int concurrency,
    int payload,
    int origins,
    int rttMs,
    int serverDelayMs,
    int work,
    String scheme,
    String mode,
    int rate,
    boolean poisson) {

  /** The folder of a run that holds these files. */
  public static final String HDR_DIR = "hdr";

  /** JMH's short label of throughput mode, the mode the summary tables read. */
  public static final String THROUGHPUT = "thrpt";

  /** The scheme a name shows ({@code -https}); plain http shows nothing. */
  public static final String HTTPS = "https";

  private static final String HTTP = "http";

  private static final Pattern NAME =
      Pattern.compile(
          "([A-Za-z][A-Za-z0-9]*)-(.+)-c([0-9]+)-p([0-9]+)-o([0-9]+)(?:-r([0-9]+))?(?:-d([0-9]+))?"
              + "(?:-w([0-9]+))?(?:-("
              + HTTPS
              + "))?(?:-q([0-9]+)(-poisson)?)?-([a-z]+)"
              + "(?:-[a-z]+\\.hgrm|\\.hgrm|\\.hlog|\\.trial\\.json|\\.rate\\.json)");

  /** The {@code hdr/} folder of a run folder. */
  public static Path hdrDir(Path run) {
    return run.resolve(HDR_DIR);
  }

  /** The files of the trial JMH is running, from its parameters (in the forked JVM). */
  public static TrialFiles of(BenchmarkParams params) {
    return of(params.getBenchmark(), params.getMode().shortLabel(), params::getParam);
  }

  /**
   * The files of a trial from its parameters as JMH names them.
   *
   * @param benchmark JMH's benchmark name, e.g. {@code
   *     dev.keepalive.bench.StrategyBenchmark.request} (a bare class name is taken as is)
   * @param mode JMH's short label of the mode, e.g. {@code thrpt}
   * @param param a parameter's value by its name, or null when the trial has no such parameter
   * @throws IllegalArgumentException naming a parameter that is not a whole number
   */
  public static TrialFiles of(String benchmark, String mode, Function<String, String> param) {
    return new TrialFiles(
        simpleClassName(benchmark),
        Objects.requireNonNullElse(param.apply("strategy"), ""),
        number(param, "concurrency", 0),
        number(param, "payload", 0),
        number(param, "origins", 1),
        number(param, "rttMs", 0),
        number(param, "serverDelayMs", 0),
        number(param, "work", 0),
        scheme(param.apply("scheme")),
        mode,
        number(param, "rate", 0),
        Arrivals.POISSON.equals(param.apply("arrivals")));
  }

  private static String scheme(String v) {
    if (v == null || v.isEmpty() || v.equals(HTTP)) {
      return HTTP;
    }
    if (v.equals(HTTPS)) {
      return HTTPS;
    }
    throw new IllegalArgumentException("scheme must be http or https, was '" + v + "'");
  }

  /** Whether the trial ran over TLS. */
  public boolean https() {
    return scheme.equals(HTTPS);
  }

  private static String simpleClassName(String benchmark) {
    String[] parts = benchmark.split("\\.");
    return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
  }

  private static int number(Function<String, String> param, String name, int absent) {
    String v = param.apply(name);
    if (v == null || v.isEmpty()) {
      return absent;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
    }
  }

  /**
   * The trial of any of the file names above.
   *
   * @throws IllegalArgumentException when the name is not one of them
   */
  public static TrialFiles parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a trial file name (<Benchmark>-<strategy>-c<n>-p<n>-o<n>[-r<n>][-d<n>][-w<n>][-https]"
              + "[-q<n>[-poisson]]-<mode>[-<phase>].hgrm, .hlog, .trial.json or .rate.json): '"
              + fileName
              + "'");
    }
    return new TrialFiles(
        m.group(1),
        m.group(2),
        Integer.parseInt(m.group(3)),
        Integer.parseInt(m.group(4)),
        Integer.parseInt(m.group(5)),
        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
        m.group(7) == null ? 0 : Integer.parseInt(m.group(7)),
        m.group(8) == null ? 0 : Integer.parseInt(m.group(8)),
        m.group(9) == null ? HTTP : HTTPS,
        m.group(12),
        m.group(10) == null ? 0 : Integer.parseInt(m.group(10)),
        m.group(11) != null);
  }

  /** What every file name of this trial starts with. */
  public String stem() {
    return benchmark
        + "-"
        + strategy
        + "-c"
        + concurrency
        + "-p"
        + payload
        + "-o"
        + origins
        + (rttMs > 0 ? "-r" + rttMs : "")
        + (serverDelayMs > 0 ? "-d" + serverDelayMs : "")
        + (work > 0 ? "-w" + work : "")
        + (https() ? "-" + HTTPS : "")
        + (rate > 0 ? "-q" + rate + (poisson ? "-poisson" : "") : "")
        + "-"
        + mode;
  }

  /** The percentile distribution of total latency, in µs. */
  public Path hgrm(Path hdrDir) {
    return hdrDir.resolve(stem() + ".hgrm");
  }

  /** The percentile distribution of one phase other than the total, in µs. */
  public Path hgrm(Path hdrDir, String phase) {
    return hdrDir.resolve(stem() + "-" + phase + ".hgrm");
  }

  /**
   * The interval log, values in ns: per measurement iteration of every fork, the total latency
   * untagged (what HdrHistogram's {@code HistogramLogProcessor} reads by default) and each other
   * phase tagged with its name ({@link PhaseHistograms#PHASES}).
   */
  public Path hlog(Path hdrDir) {
    return hdrDir.resolve(stem() + ".hlog");
  }

  /** An open-loop trial's totals ({@link RateTotals}). */
  public Path rateJson(Path hdrDir) {
    return hdrDir.resolve(stem() + ".rate.json");
  }

  /** Whole-trial totals from both sides. */
  public Path trialJson(Path hdrDir) {
    return hdrDir.resolve(stem() + ".trial.json");
  }
}
