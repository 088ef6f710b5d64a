package dev.keepalive.cli;

import dev.keepalive.report.Environment;
import dev.keepalive.report.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --out DIR} and {@code --force}, shared by the commands that run JMH: where a run writes
 * its files. By default a new folder of its own ({@link RunFolder#create}); {@code --out} names
 * one, which must be new or empty unless {@code --force}. Nothing is written until {@link #open}.
 */
final class OutputFolder {

  /** Where runs go unless {@code --out} says otherwise. */
  static final Path RESULTS = Path.of("results");

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "folder for the run's files: new or empty (default: a new"
              + " results/runs/<date>-<commit>-<n>/, with results/latest pointing at it)")
  private Path out;

  @Option(
      names = "--force",
      description =
          "with --out: write into a folder that holds an earlier run, removing that run's files"
              + " first (other files stay)")
  private boolean force;

  /**
   * Bad usage, before anything is run or written: {@code --force} without {@code --out}, or an
   * {@code --out} that holds files.
   */
  void check(CommandLine command) throws IOException {
    if (out == null) {
      if (force) {
        throw new ParameterException(
            command, "--force goes with --out DIR (without --out every run gets a new folder)");
      }
      return;
    }
    try {
      RunFolder.checkUsable(out, force);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command, "--out " + e.getMessage(), e);
    }
  }

  /**
   * Creates the run's folder and marks it as going ({@link RunFolder#begin}); the files go into
   * {@code sub} of a new default folder, or into {@code --out} itself.
   */
  RunFolder open(String sub, PrintWriter err) throws IOException {
    Environment env = Environment.capture();
    List<String> notes = new ArrayList<>();
    RunFolder run =
        out == null ? RunFolder.create(RESULTS, sub, env, notes) : RunFolder.at(out, force);
    notes.forEach(n -> err.println("note: " + n));
    run.begin(env);
    return run;
  }
}
