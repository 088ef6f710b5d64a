package dev.keepalive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output format for our runs: one progress line per benchmark on stdout, {@code [3/44]
 * keep-alive concurrency=16 payload=13 (elapsed 0:41, ETA 4:10)}, and JMH's own output to the log.
 * {@code total} is the number of runs JMH will start ({@link Jmh#select}). Called by JMH's runner
 * on the thread that runs it.
 */
final class Progress implements OutputFormat {
  private final OutputFormat log;
  private final PrintWriter out;
  private final int total;
  private final long start;
  private final String prefix;
  private int done;

  Progress(OutputFormat log, PrintWriter out, int total, long start) {
    this(log, out, total, start, "");
  }

  /** With {@code prefix} before each line's count, e.g. {@code round 2 [3/12] ...}. */
  Progress(OutputFormat log, PrintWriter out, int total, long start, String prefix) {
    this.log = log;
    this.out = out;
    this.total = total;
    this.start = start;
    this.prefix = prefix;
  }

  @Override
  public void startBenchmark(BenchmarkParams params) {
    long elapsed = System.nanoTime() - start;
    String eta = done == 0 ? "?" : seconds(elapsed / done * (total - done));
    StringBuilder what = new StringBuilder();
    for (String key : List.of("strategy", "row", "concurrency", "payload", "origins", "pauseMs")) {
      String value = params.getParam(key);
      if (value != null) {
        what.append(what.length() == 0 ? "" : " ")
            .append(key.equals("strategy") || key.equals("row") ? value : key + "=" + value);
      }
    }
    out.printf(
        Locale.ROOT,
        "%s[%d/%d] %s  (elapsed %s, ETA %s)%n",
        prefix,
        done + 1,
        total,
        what,
        seconds(elapsed),
        eta);
    log.startBenchmark(params);
  }

  private static String seconds(long nanos) {
    long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void endBenchmark(BenchmarkResult result) {
    done++;
    if (result == null) {
      out.println("    failed: see jmh.log");
    }
    log.endBenchmark(result);
  }

  @Override
  public void iteration(BenchmarkParams b, IterationParams i, int n) {
    log.iteration(b, i, n);
  }

  @Override
  public void iterationResult(BenchmarkParams b, IterationParams i, int n, IterationResult r) {
    log.iterationResult(b, i, n, r);
  }

  @Override
  public void startRun() {
    log.startRun();
  }

  @Override
  public void endRun(Collection<RunResult> results) {
    log.endRun(results);
  }

  @Override
  public void print(String s) {
    log.print(s);
  }

  @Override
  public void println(String s) {
    log.println(s);
  }

  @Override
  public void flush() {
    log.flush();
    out.flush();
  }

  @Override
  public void close() {
    log.flush();
  }

  @Override
  public void verbosePrintln(String s) {
    log.verbosePrintln(s);
  }

  @Override
  public void write(int b) {
    log.write(b);
  }

  @Override
  public void write(byte[] b) throws IOException {
    log.write(b);
  }
}
