package dev.keepalive.cli;

import dev.keepalive.report.RunFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * What {@code suite}, {@code overhead} and {@code faults} do around JMH, in this order: refuse bad
 * usage and a held JMH lock before anything is written; run into a folder of the run's own ({@link
 * RunFolder}), JMH's output in {@code jmh.log}, a progress line per benchmark on stdout, the
 * results in {@code jmh.json}; and mark the folder failed with the reason if anything goes wrong,
 * or as finished when all went well.
 */
final class JmhRun {

  /** The work between the run folder's creation and its verdict. */
  interface Work {
    /**
     * May mark the folder itself (the suite does, before its report reads the mark).
     *
     * @return null when the run succeeded, else the one line that says why it failed (the folder is
     *     marked with it and the command exits 1 with it)
     */
    String run(RunFolder folder) throws Exception;
  }

  private JmhRun() {}

  /**
   * Opens the run's folder ({@code sub} of a new default folder, or {@code --out}), does the work,
   * and marks the folder with the outcome; any exception marks it failed before it propagates.
   */
  static int inNewFolder(OutputFolder out, String sub, PrintWriter err, Work work)
      throws Exception {
    JmhLock.requireFree();
    RunFolder folder = out.open(sub, err);
    String failure;
    try {
      failure = work.run(folder);
    } catch (Exception | Error e) {
      folder.failed(e.getMessage() == null ? e.toString() : e.getMessage());
      throw e;
    }
    if (failure != null) {
      folder.failed(failure);
      throw new CommandFailedException(failure);
    }
    folder.succeeded();
    return 0;
  }

  /**
   * Runs each options in turn, JMH's output to {@code dir/jmh.log} and progress to {@code out}, and
   * writes every result to {@code dir/jmh.json}.
   */
  static Collection<RunResult> run(List<Options> runs, int total, Path dir, PrintWriter out)
      throws IOException, RunnerException {
    Collection<RunResult> results = new ArrayList<>();
    try (OutputStream logFile = Files.newOutputStream(dir.resolve("jmh.log"));
        PrintStream log = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
      Progress progress =
          new Progress(
              OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL),
              out,
              total,
              System.nanoTime());
      for (Options o : runs) {
        results.addAll(new Runner(o, progress).run());
      }
    }
    ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString())
        .writeOut(results);
    return results;
  }

  /**
   * Null when all {@code total} benchmarks produced a result; else the line that says how many did
   * not, for the {@code FAILED} marker and the exit.
   */
  static String missing(int produced, int total, Path dir) {
    return produced >= total
        ? null
        : (total - produced)
            + " of "
            + total
            + " benchmarks produced no result; see "
            + dir.resolve("jmh.log");
  }
}
