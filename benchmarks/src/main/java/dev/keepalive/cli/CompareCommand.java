package dev.keepalive.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keepalive.bench.TrialFiles;
import dev.keepalive.report.Compare;
import dev.keepalive.report.CompareExport;
import dev.keepalive.report.CompareTable;
import dev.keepalive.report.Environment;
import dev.keepalive.report.RunFolder;
import dev.keepalive.report.SummaryTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * {@code compare BASE NEW [--paired] [--threshold PCT] [--format md|json] [--export-bigger FILE]
 * [--export-smaller FILE] [--force]}: regression verdicts from the raw samples. BASE and NEW may
 * each be several runs, comma-separated: their forks are merged, or, with {@code --paired}, the
 * i-th run of each side is taken as measured beside the other in round i. Exit 0 no established
 * regression, 1 an established regression, 2 bad usage or input that cannot be compared
 * (unreadable, empty, from a failed run, a score that is not a number, no entry in common, an
 * export that would be empty). It writes nothing unless asked to with an export option, and
 * replaces no file without {@code --force}.
 */
@Command(
    name = "compare",
    description = {
      "Regression verdicts, row by row, from JMH's raw data: a bootstrap interval of the ratio"
          + " NEW / BASE of the medians (forks as the unit of evidence when each side has two or"
          + " more, else iterations), and one of four verdicts: improved or regressed (the whole"
          + " interval on one side and the change beyond the threshold), unchanged (the interval"
          + " excludes changes beyond the threshold) or inconclusive (it does not).",
      "BASE and NEW may each be several JMH JSON files, comma-separated: a side's forks are"
          + " merged. With --paired, the i-th file of BASE and the i-th of NEW were measured side"
          + " by side in round i (scripts/regression.sh --against): each row's ratio is then the"
          + " geometric mean of its rounds' ratios, with Student's t interval over the rounds, so"
          + " that a machine that slows for minutes slows both sides of a round and drops out.",
      "A comparison across CPU models, core counts, JDKs or JMH settings says so at its top (from"
          + " the env.json next to each file).",
      "--export-bigger / --export-smaller write NEW's figures in the format common CI benchmark"
          + " actions read (customBiggerIsBetter: throughput; customSmallerIsBetter: time modes,"
          + " p50 and p99 from the run's histograms, connections per 1,000 requests).",
      ""
    },
    exitCodeList = {
      "0:no established regression",
      "1:an established regression",
      "2:bad usage, or nothing to compare: BASE or NEW unreadable, empty, from a failed run, with a"
          + " score that is not a number, or without an entry in common; or an export that would be"
          + " empty (one line)"
    })
final class CompareCommand implements Callable<Integer> {

  /** How the comparison is printed. */
  enum Format {
    md,
    json
  }

  /** The highest threshold, in percent, that still means something. */
  static final double MAX_THRESHOLD_PERCENT = 1000;

  private static final String BIGGER = "bigger-is-better (throughput)";
  private static final String SMALLER =
      "smaller-is-better (time mode, latency or connection count)";

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "1",
      paramLabel = "BASE",
      split = ",",
      description = "the baseline: JMH JSON, or several runs' files, comma-separated")
  private List<Path> base;

  @Parameters(
      index = "1",
      arity = "1",
      paramLabel = "NEW",
      split = ",",
      description = "the run to judge: JMH JSON, or several runs' files, comma-separated")
  private List<Path> now;

  @Option(
      names = "--paired",
      description =
          "BASE's i-th file and NEW's i-th file ran side by side in round i (interleaved rounds):"
              + " judge each row from its rounds' ratios; needs as many files on each side, 2 or"
              + " more")
  private boolean paired;

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
      names = "--export-bigger",
      paramLabel = "FILE",
      description =
          "write NEW's throughput to FILE as customBiggerIsBetter JSON (the format of common CI"
              + " benchmark actions)")
  private Path exportBigger;

  @Option(
      names = "--export-smaller",
      paramLabel = "FILE",
      description =
          "write NEW's time-mode scores, p50 and p99 latency (µs) and connections per 1,000"
              + " requests to FILE as customSmallerIsBetter JSON")
  private Path exportSmaller;

  @Option(names = "--force", description = "replace the export files if they exist")
  private boolean force;

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() throws IOException {
    CommandLine cli = spec.commandLine();
    if (force && exportBigger == null && exportSmaller == null) {
      throw new ParameterException(cli, "--force goes with --export-bigger or --export-smaller");
    }
    if (exportBigger != null && exportBigger.equals(exportSmaller)) {
      throw new ParameterException(
          cli,
          "--export-bigger and --export-smaller must be different files, both were "
              + exportBigger);
    }
    if (paired && (base.size() != now.size() || base.size() < 2)) {
      throw new ParameterException(
          cli,
          "--paired needs as many BASE files as NEW files, 2 or more (one per round); were "
              + base.size()
              + " and "
              + now.size());
    }
    if (exportSmaller != null && now.size() > 1) {
      throw new ParameterException(
          cli,
          "--export-smaller reads the histograms of one run: give NEW as one file, not "
              + now.size());
    }
    refuseToReplace("--export-bigger", exportBigger);
    refuseToReplace("--export-smaller", exportSmaller);
    List<Map<String, Compare.Entry>> baseRuns = load("BASE", base);
    List<Map<String, Compare.Entry>> newRuns = load("NEW", now);
    Map<String, Compare.Entry> candidate = Compare.merge(newRuns);
    Compare.Comparison c;
    ArrayNode bigger = CompareExport.biggerIsBetter(candidate.values());
    ArrayNode smaller =
        exportSmaller == null
            ? null
            : CompareExport.smallerIsBetter(candidate.values(), rows(now.get(0)));
    try {
      Environment baseEnv = environment("BASE", base);
      Environment nowEnv = environment("NEW", now);
      c =
          paired
              ? Compare.comparePaired(baseRuns, baseEnv, newRuns, nowEnv, threshold)
              : Compare.compare(Compare.merge(baseRuns), baseEnv, candidate, nowEnv, threshold);
      if (exportBigger != null) {
        CompareExport.requireNonEmpty(bigger, exportBigger, BIGGER);
      }
      if (smaller != null) {
        CompareExport.requireNonEmpty(smaller, exportSmaller, SMALLER);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, e.getMessage(), e);
    }
    String speed = Compare.cpuSpeedDifference(probes("BASE", base), probes("NEW", now));
    if (speed != null) {
      List<String> differences = new ArrayList<>(c.setupDifferences());
      differences.add(speed);
      c =
          new Compare.Comparison(
              c.thresholdPercent(), c.results(), c.onlyInBase(), c.onlyInNew(), differences);
    }
    if (format == Format.json) {
      cli.getOut().println(CompareTable.json(c));
    } else {
      cli.getOut().print(CompareTable.markdown(c));
    }
    if (exportBigger != null) {
      CompareExport.write(bigger, exportBigger, BIGGER, force);
      cli.getErr().println("compare: wrote " + exportBigger);
    }
    if (smaller != null) {
      CompareExport.write(smaller, exportSmaller, SMALLER, force);
      cli.getErr().println("compare: wrote " + exportSmaller);
    }
    return c.regressions() > 0 ? 1 : 0;
  }

  private void refuseToReplace(String option, Path file) {
    if (file != null && !force && Files.exists(file)) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + ": "
              + file
              + " exists already; choose another file, or add --force to replace it");
    }
  }

  /** A side's files; one that cannot be read, or a failed run's, is bad input. */
  private List<Map<String, Compare.Entry>> load(String side, List<Path> files) {
    return loadRuns(spec.commandLine(), side, files);
  }

  /** A side's files; one that cannot be read, or a failed run's, is bad input (of {@code cli}). */
  static List<Map<String, Compare.Entry>> loadRuns(CommandLine cli, String side, List<Path> files) {
    List<Map<String, Compare.Entry>> out = new ArrayList<>();
    files.forEach(f -> out.add(load(cli, side, f)));
    return out;
  }

  /** A side's file; one that cannot be read, or a failed run's, is bad input. */
  private static Map<String, Compare.Entry> load(CommandLine cli, String side, Path file) {
    try {
      Path folder = file.toAbsolutePath().getParent();
      Optional<String> failed = folder == null ? Optional.empty() : RunFolder.failure(folder);
      if (failed.isPresent()) {
        throw new IOException(
            side + " " + file + " is from a run marked failed (" + failed.get() + ")");
      }
      return Compare.load(file);
    } catch (IOException e) {
      throw new ParameterException(cli, e.getMessage(), e);
    }
  }

  /**
   * The first {@code env.json} next to a side's files, or null when none has one; a side whose
   * files ran on different machines or JDKs is bad input.
   */
  private Environment environment(String side, List<Path> files) {
    return sideEnvironment(spec.commandLine(), side, files);
  }

  /** {@link #environment} for any command's {@code cli}. */
  static Environment sideEnvironment(CommandLine cli, String side, List<Path> files) {
    Environment first = null;
    Path firstFile = null;
    for (int i = 0; i < files.size(); i++) {
      Path env = files.get(i).toAbsolutePath().resolveSibling(Environment.FILE);
      Environment e;
      try {
        e = Environment.read(env);
      } catch (IOException x) {
        throw new ParameterException(
            cli, side + "'s " + env + " cannot be read: " + x.getMessage(), x);
      }
      if (first == null) {
        first = e;
        firstFile = files.get(i);
      } else if (e != null
          && !(Objects.equals(first.cpuModel(), e.cpuModel())
              && first.cores() == e.cores()
              && Objects.equals(first.jdk(), e.jdk()))) {
        throw new ParameterException(
            cli,
            side
                + "'s runs come from different machines or JDKs ("
                + firstFile
                + ": "
                + first.cpuModel()
                + ", "
                + first.cores()
                + " cores, "
                + first.jdk()
                + "; "
                + files.get(i)
                + ": "
                + e.cpuModel()
                + ", "
                + e.cores()
                + " cores, "
                + e.jdk()
                + "): one side is one setup");
      }
    }
    return first;
  }

  /**
   * The suite's CPU probe medians of a side's runs, from each run's {@code precision.json} ({@link
   * Compare#precisionFileOf}).
   */
  private List<Double> probes(String side, List<Path> files) {
    try {
      return Compare.probeMedians(files.stream().map(Compare::precisionFileOf).toList());
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), side + "'s " + e.getMessage(), e);
    }
  }

  /** NEW's strategy rows with their latency, from the histograms next to its file. */
  private List<SummaryTable.Row> rows(Path file) {
    try {
      return SummaryTable.read(file, TrialFiles.hdrDir(file.toAbsolutePath().getParent()));
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
