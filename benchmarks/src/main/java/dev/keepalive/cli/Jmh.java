package dev.keepalive.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What the command line asks of JMH without running anything: parsing JMH's options, and reading
 * the jar's benchmark list to tell which benchmarks a set of options selects and how many runs they
 * expand to (modes × parameter values, as JMH's {@code Runner} expands them) — so that progress
 * lines and announcements count and name what actually runs.
 */
final class Jmh {

  private static final OutputFormat SILENT =
      OutputFormatFactory.createFormatInstance(
          new PrintStream(OutputStream.nullOutputStream()), VerboseMode.SILENT);

  /** What a set of options selects: the number of runs and the values each parameter takes. */
  record Selection(int runs, SortedMap<String, Set<String>> parameters) {}

  private Jmh() {}

  /**
   * JMH's command line.
   *
   * @throws ParameterException with JMH's message, on behalf of {@code command}
   */
  static CommandLineOptions parse(List<String> args, CommandLine command) {
    try {
      return new CommandLineOptions(args.toArray(new String[0]));
    } catch (CommandLineOptionException e) {
      throw new ParameterException(command, e.getMessage(), e);
    }
  }

  /** True if {@code regex} selects a benchmark of the jar, as JMH's include patterns do. */
  static boolean anyMatch(String regex) {
    try {
      return !BenchmarkList.defaultList().find(SILENT, List.of(regex), List.of()).isEmpty();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  /** The benchmarks {@code options} select; an empty include list selects every benchmark. */
  static Collection<BenchmarkListEntry> entries(Options options) {
    List<String> includes = options.getIncludes().isEmpty() ? List.of(".*") : options.getIncludes();
    return BenchmarkList.defaultList().find(SILENT, includes, options.getExcludes());
  }

  /** The runs {@code options} select; an include list that is empty selects every benchmark. */
  static Selection select(Options options) {
    Collection<BenchmarkListEntry> found = entries(options);
    Set<String> benchmarkModes = new TreeSet<>();
    SortedMap<String, Set<String>> parameters = new TreeMap<>();
    int runs = 0;
    for (BenchmarkListEntry e : found) {
      for (Mode mode : modes(e, options)) {
        if (!benchmarkModes.add(e.getUsername() + " " + mode)) {
          continue; // JMH runs a benchmark once per mode however often the mode is asked for
        }
        int combinations = 1;
        for (Map.Entry<String, String[]> p : e.getParams().orElse(Map.of()).entrySet()) {
          Collection<String> values =
              options.getParameter(p.getKey()).orElse(List.of(p.getValue()));
          combinations *= values.size();
          parameters.computeIfAbsent(p.getKey(), k -> new LinkedHashSet<>()).addAll(values);
        }
        runs += combinations;
      }
    }
    return new Selection(runs, Collections.unmodifiableSortedMap(parameters));
  }

  /** The modes JMH runs {@code e} in under {@code options} ({@code All} expanded). */
  static Collection<Mode> modes(BenchmarkListEntry e, Options options) {
    Collection<Mode> asked =
        options.getBenchModes().isEmpty() ? List.of(e.getMode()) : options.getBenchModes();
    List<Mode> modes = new ArrayList<>();
    for (Mode m : asked) {
      if (m == Mode.All) {
        modes.addAll(EnumSet.complementOf(EnumSet.of(Mode.All)));
      } else {
        modes.add(m);
      }
    }
    return modes;
  }
}
