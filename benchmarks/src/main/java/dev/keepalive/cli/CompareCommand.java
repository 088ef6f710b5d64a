package dev.keepalive.cli;

import dev.keepalive.report.Compare;
import dev.keepalive.report.RunFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code compare BASE NEW [--threshold PCT] [--format md|json] [--export DIR [--force]]}:
 * regression verdicts. Exit 0 no regression, 1 a regression, 2 bad usage or input that cannot be
 * compared (unreadable, empty, from a failed run, a score that is not a number, no entry in
 * common). It writes nothing unless asked to with {@code --export}, and replaces nothing there
 * without {@code --force}.
 */
@Command(
    name = "compare",
    description = {
      "Regression verdicts, entry by entry: a change counts when it exceeds the threshold and the"
          + " two confidence intervals do not overlap.",
      "--export DIR writes NEW's scores there in the format common CI benchmark actions read"
          + " (customBiggerIsBetter.json, customSmallerIsBetter.json).",
      ""
    },
    exitCodeList = {
      "0:no regression",
      "1:a regression",
      "2:bad usage, or nothing to compare: BASE or NEW unreadable, empty, from a failed run, with a"
          + " score that is not a number, or without an entry in common (one line)"
    })
final class CompareCommand implements Callable<Integer> {

  /** How the comparison is printed. */
  enum Format {
    md,
    json
  }

  /** The highest threshold, in percent, that still means something. */
  static final double MAX_THRESHOLD_PERCENT = 1000;

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BASE", description = "the baseline: JMH JSON")
  private Path base;

  @Parameters(index = "1", paramLabel = "NEW", description = "the run to judge: JMH JSON")
  private Path now;

  @Option(
      names = "--threshold",
      paramLabel = "PCT",
      converter = Percentage.class,
      description = "smallest change that counts, percent (default ${DEFAULT-VALUE})")
  private double threshold = 10;

  @Option(
      names = "--format",
      paramLabel = "md|json",
      description = "md (tables) or json (default ${DEFAULT-VALUE})")
  private Format format = Format.md;

  @Option(
      names = "--export",
      paramLabel = "DIR",
      description =
          "write NEW's scores into DIR as customBiggerIsBetter.json and customSmallerIsBetter.json"
              + " (the format of common CI benchmark actions)")
  private Path export;

  @Option(names = "--force", description = "with --export: replace those files if DIR has them")
  private boolean force;

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() throws IOException {
    CommandLine cli = spec.commandLine();
    if (force && export == null) {
      throw new ParameterException(cli, "--force goes with --export DIR");
    }
    if (export != null && !force && !Compare.existingCustomFormat(export).isEmpty()) {
      throw new ParameterException(
          cli,
          "--export: "
              + Compare.existingCustomFormat(export).get(0)
              + " exists already; choose another folder, or add --force to replace it");
    }
    Map<String, Compare.Entry> baseline = load("BASE", base);
    Map<String, Compare.Entry> candidate = load("NEW", now);
    Compare.Comparison c;
    try {
      c = Compare.compare(baseline, candidate, threshold);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, e.getMessage(), e);
    }
    if (format == Format.json) {
      cli.getOut().println(Compare.json(c));
    } else {
      cli.getOut().print(Compare.markdown(c));
    }
    if (export != null) {
      for (Path p : Compare.writeCustomFormat(candidate, export, force)) {
        cli.getErr().println("compare: wrote " + p);
      }
    }
    return c.regressions() > 0 ? 1 : 0;
  }

  /** A side of the comparison; a file that cannot be read, or a failed run's, is bad input. */
  private Map<String, Compare.Entry> load(String side, Path file) {
    try {
      Path folder = file.toAbsolutePath().getParent();
      Optional<String> failed = folder == null ? Optional.empty() : RunFolder.failure(folder);
      if (failed.isPresent()) {
        throw new IOException(
            side + " " + file + " is from a run marked failed (" + failed.get() + ")");
      }
      return Compare.load(file);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** A percentage in [0, {@link #MAX_THRESHOLD_PERCENT}]. */
  static final class Percentage implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      String allowed = "must be a percentage in [0, " + (int) MAX_THRESHOLD_PERCENT + "], was ";
      double pct;
      try {
        pct = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException(allowed + "'" + value + "'");
      }
      if (!(pct >= 0 && pct <= MAX_THRESHOLD_PERCENT)) {
        throw new TypeConversionException(allowed + value);
      }
      return pct;
    }
  }
}
