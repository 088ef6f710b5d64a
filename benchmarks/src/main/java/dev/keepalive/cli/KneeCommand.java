package dev.keepalive.cli;

import dev.keepalive.bench.KneeSweep;
import dev.keepalive.bench.RatePoint;
import dev.keepalive.bench.RateTotals;
import dev.keepalive.bench.Strategy;
import dev.keepalive.bench.TrialFiles;
import dev.keepalive.bench.TrialTarget;
import dev.keepalive.report.KneeTable;
import dev.keepalive.report.RunFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code knee}: the highest rate each strategy sustains in an open loop. For each strategy the
 * offered rate doubles from {@code --from} until a point fails, then bisects ({@link KneeSweep});
 * every point is the open-loop generator in this JVM ({@link RatePoint}: warmup, then measurement,
 * one continuous schedule) against the harness server in its own JVM (or in this one, {@code
 * --server inprocess}, for tests). The JMH lock is held for the whole sweep, so no JMH run shares
 * the machine with it. Writes {@code knee.json}, {@code knee.md}, the charts and {@code hdr/} into
 * a folder of the run's own ({@link JmhRun}); the summary goes to stdout.
 */
@Command(
    name = "knee",
    description = {
      "Open-loop rate sweep: for each strategy the offered rate doubles from --from until the p99"
          + " from the intended start passes the SLO (or a request fails, or the generator falls"
          + " behind), then bisects; the highest rate that held is the strategy's sustained rate."
          + " Prints the table; writes knee.json, knee.md, knee-p50/p99/p999.png (latency vs offered"
          + " rate, one line per strategy) and hdr/ into the run's folder.",
      ""
    })
final class KneeCommand implements Callable<Integer> {

  /** The SLO without {@code --slo-p99-ms}: this many times the unloaded p99. */
  static final double SLO_FACTOR = 3;

  /** The SLO is never below this, ms (timer and scheduling noise on a busy machine). */
  static final double SLO_FLOOR_MS = 1;

  /** The rate of the unloaded measurement the default SLO comes from, at most. */
  static final int UNLOADED_RATE = 100;

  @Spec private CommandSpec spec;

  @Option(
      names = "--strategies",
      split = ",",
      paramLabel = "ROWS",
      description =
          "strategies to sweep, comma-separated (default: RateBenchmark's rows: ${DEFAULT-VALUE})")
  private List<String> strategies = Strategy.RATE_ROWS;

  @Option(
      names = "--from",
      description = "first offered rate, requests/s (default ${DEFAULT-VALUE})")
  private int from = 250;

  @Option(
      names = "--max-rate",
      description = "no rate above this is tried, requests/s (default ${DEFAULT-VALUE})")
  private int maxRate = 64_000;

  @Option(
      names = "--bisections",
      description = "bisection steps after the first failing rate (default ${DEFAULT-VALUE})")
  private int bisections = 3;

  @Option(
      names = "--slo-p99-ms",
      description =
          "SLO on p99 from the intended start, ms (default: 3 x the unloaded p99 of the first"
              + " strategy at 100 requests/s, at least 1 ms; the output states it)")
  private Double sloP99Ms;

  @Option(names = "--payload", description = "response body bytes (default ${DEFAULT-VALUE})")
  private int payload = 13;

  @Option(
      names = "--server-delay-ms",
      description = "server-side delay per response, ms (default ${DEFAULT-VALUE})")
  private int serverDelayMs = 0;

  @Option(
      names = "--rtt-ms",
      description = "round trip time the relay adds, ms; 0 = loopback (default ${DEFAULT-VALUE})")
  private int rttMs = 0;

  @Option(
      names = "--timeout-ms",
      description = "whole-request deadline, ms; 0 = none (default ${DEFAULT-VALUE})")
  private int timeoutMs = 1000;

  @Option(
      names = "--arrivals",
      completionCandidates = Arrivals.class,
      description = "constant or poisson (default ${DEFAULT-VALUE})")
  private String arrivals = "constant";

  @Option(
      names = "--warmup-ms",
      description = "per point, before measuring (default ${DEFAULT-VALUE})")
  private int warmupMs = 1000;

  @Option(names = "--measure-ms", description = "per point, measured (default ${DEFAULT-VALUE})")
  private int measureMs = 2000;

  @Option(
      names = "--server",
      completionCandidates = Placements.class,
      description = "process (the server in its own JVM) or inprocess (default ${DEFAULT-VALUE})")
  private String server = "process";

  @Mixin private OutputFolder folder;

  @Mixin private StandardOptions standard;

  static final class Arrivals extends ArrayList<String> {
    Arrivals() {
      super(List.of("constant", "poisson"));
    }
  }

  static final class Placements extends ArrayList<String> {
    Placements() {
      super(List.of("process", "inprocess"));
    }
  }

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    check(cli);
    folder.check(cli);
    return JmhRun.inNewFolder(folder, "knee", cli.getErr(), this::sweep);
  }

  private void check(CommandLine cli) {
    range(cli, "--from", from, 1, 1_000_000);
    range(cli, "--max-rate", maxRate, from, 1_000_000);
    range(cli, "--bisections", bisections, 0, 20);
    range(cli, "--payload", payload, 0, 1 << 30);
    range(cli, "--server-delay-ms", serverDelayMs, 0, 600_000);
    range(cli, "--rtt-ms", rttMs, 0, 10_000);
    range(cli, "--timeout-ms", timeoutMs, 0, 600_000);
    range(cli, "--warmup-ms", warmupMs, 0, 600_000);
    range(cli, "--measure-ms", measureMs, 100, 600_000);
    if (sloP99Ms != null && !(sloP99Ms > 0 && sloP99Ms <= 600_000)) {
      throw new ParameterException(cli, "--slo-p99-ms must be in (0, 600000] ms, was " + sloP99Ms);
    }
    if (!List.of("constant", "poisson").contains(arrivals)) {
      throw new ParameterException(
          cli, "--arrivals must be constant or poisson, was '" + arrivals + "'");
    }
    if (!List.of("process", "inprocess").contains(server)) {
      throw new ParameterException(
          cli, "--server must be process or inprocess, was '" + server + "'");
    }
    if (serverDelayMs > 0 && payload != 13) {
      throw new ParameterException(
          cli, "--server-delay-ms needs --payload 13, was --payload " + payload);
    }
    for (String s : strategies) {
      Strategy st;
      try {
        st = Strategy.of(s);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            cli, "--strategies " + e.getMessage().replaceFirst("^strategy ", ""), e);
      }
      if (!Strategy.RATE_CLIENTS.contains(st.client())) {
        throw new ParameterException(
            cli,
            "--strategies "
                + s
                + " has no open-loop form here (our agent's rows, jdk-httpclient, okhttp and apache-hc5"
                + " have)");
      }
    }
  }

  private static void range(CommandLine cli, String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(
          cli, flag + " must be in [" + min + ", " + max + "], was " + value);
    }
  }

  /** The sweep into {@code run}; null when it completed. */
  private String sweep(RunFolder run) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = run.dir();
    Path hdr = TrialFiles.hdrDir(dir);
    RatePoint.Workload w =
        new RatePoint.Workload(
            payload, serverDelayMs, rttMs, timeoutMs, arrivals, warmupMs, measureMs);
    try (AutoCloseable lock = JmhLock.hold();
        TrialTarget target = TrialTarget.start(server, "", 1, rttMs)) {
      KneeSweep.Points points =
          (strategy, rate) -> {
            RateTotals t = RatePoint.run(target, strategy, rate, w, hdr);
            out.println(progress(t));
            return t;
          };
      double slo;
      String basis;
      if (sloP99Ms != null) {
        slo = sloP99Ms;
        basis = "--slo-p99-ms";
      } else {
        String first = strategies.get(0);
        int rate = Math.min(from, UNLOADED_RATE);
        RateTotals unloaded = RatePoint.run(target, first, rate, w, null);
        Double p99 = unloaded.measured().intendedP99Ms();
        if (p99 == null) {
          return "the unloaded measurement ("
              + first
              + " at "
              + rate
              + "/s) fell behind: "
              + KneeSweep.failure(unloaded, Double.MAX_VALUE)
              + "; give --slo-p99-ms";
        }
        slo = Math.max(SLO_FLOOR_MS, Math.ceil(SLO_FACTOR * p99 * 10) / 10);
        basis =
            String.format(
                Locale.ROOT,
                "%.0f x the p99 of %s at %d requests/s, %.3f ms, at least %.0f ms",
                SLO_FACTOR,
                first,
                rate,
                p99,
                SLO_FLOOR_MS);
      }
      out.println(
          String.format(
              Locale.ROOT,
              "keepalive-bench knee: SLO p99 <= %.2f ms (%s);" + " %s; files in %s",
              slo,
              basis,
              workload(),
              dir));
      List<KneeSweep.Line> lines = new ArrayList<>();
      for (String s : strategies) {
        lines.add(KneeSweep.sweep(s, points, from, maxRate, bisections, slo));
      }
      KneeSweep.Result result = new KneeSweep.Result(slo, basis, lines);
      result.write(dir.resolve(KneeTable.JSON));
      KneeTable.Written written = KneeTable.write(dir);
      out.println();
      out.print(KneeTable.summary(result));
      out.println();
      out.println("Every point: " + written.markdown() + "; charts: " + written.charts());
    }
    return null;
  }

  private String workload() {
    return "payload "
        + payload
        + " B, server delay "
        + serverDelayMs
        + " ms, RTT "
        + rttMs
        + " ms, "
        + arrivals
        + " arrivals, timeout "
        + timeoutMs
        + " ms, "
        + warmupMs
        + " ms warmup + "
        + measureMs
        + " ms per point";
  }

  private static String progress(RateTotals t) {
    var m = t.measured();
    return String.format(
        Locale.ROOT,
        "  %-16s %,8d/s: achieved %,.0f/s, p99 %s ms (issue %s ms), %d late, %d errors,"
            + " max in flight %d",
        t.strategy(),
        t.rate(),
        m.achievedRate(),
        m.intendedP99Ms() == null ? "-" : String.format(Locale.ROOT, "%.2f", m.intendedP99Ms()),
        m.issueP99Ms() == null ? "-" : String.format(Locale.ROOT, "%.2f", m.issueP99Ms()),
        m.late(),
        m.errors(),
        m.maxInFlight());
  }
}
