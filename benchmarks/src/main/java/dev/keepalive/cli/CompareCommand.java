package dev.keepalive.cli;

import dev.keepalive.report.Compare;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
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
 * {@code compare BASE NEW [--threshold PCT] [--format md|json]}: regression verdicts. Exit 0 no
 * regression, 1 a regression, 2 bad usage or input that cannot be read.
 */
@Command(
    name = "compare",
    description = {
      "Regression verdicts, entry by entry: a change counts when it exceeds the threshold and the"
          + " two confidence intervals do not overlap.",
      "--format json also writes, next to NEW, the files that common CI benchmark actions read"
          + " (customBiggerIsBetter, customSmallerIsBetter).",
      ""
    },
    exitCodeList = {
      "0:no regression",
      "1:a regression",
      "2:bad usage, or BASE or NEW cannot be read (one line)"
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

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() throws IOException {
    Map<String, Compare.Entry> baseline = load(base);
    Map<String, Compare.Entry> candidate = load(now);
    Compare.Comparison c = Compare.compare(baseline, candidate, threshold);
    if (format == Format.json) {
      spec.commandLine().getOut().println(Compare.json(c));
      Path dir = now.toAbsolutePath().getParent();
      for (Path p : Compare.writeCustomFormat(candidate, dir)) {
        spec.commandLine().getErr().println("compare: wrote " + p);
      }
    } else {
      spec.commandLine().getOut().print(Compare.markdown(c));
    }
    return c.regressions() > 0 ? 1 : 0;
  }

  private Map<String, Compare.Entry> load(Path file) {
    try {
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
