package dev.keepalive.cli;

import dev.keepalive.bench.StrategyBenchmark;
import dev.keepalive.net.RelayCommand;
import dev.keepalive.report.RunFolder;
import dev.keepalive.server.ServerCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code java -jar benchmarks.jar}: our commands, and plain JMH for everything else. The first
 * argument decides: one of our commands (or {@code --help}, {@code --version}) is parsed by
 * picocli; a mistyped command ({@link Typos}) is bad usage; anything else is JMH's command line,
 * passed to JMH unchanged and run as JMH's own {@code Main} runs it, with our exit codes.
 */
@Command(
    name = "benchmarks.jar",
    versionProvider = Version.class,
    synopsisHeading = "",
    customSynopsis = {
      "usage: java -jar benchmarks.jar [COMMAND [OPTIONS]]",
      "       java -jar benchmarks.jar [JMH OPTIONS] [BENCHMARK REGEX...]"
    },
    description = {
      "What is HTTP/1.1 connection reuse worth, and what does bounding a pool cost?",
      "With no arguments: the suite (the strategy comparison). Every command answers --help and"
          + " --version.",
      ""
    },
    subcommands = {
      SuiteCommand.class,
      OverheadCommand.class,
      FaultsCommand.class,
      DistanceCommand.class,
      KneeCommand.class,
      ProbeCommand.class,
      ReportCommand.class,
      CompareCommand.class,
      PowerCommand.class,
      ConformanceCommand.class,
      ServerCommand.class,
      RelayCommand.class,
      HelpCommand.class
    },
    footer = {
      "",
      "Anything else is JMH's command line, passed to JMH unchanged: -l (list), -h (JMH's help), a"
          + " benchmark regex, -p, -f, -i, -rf json, -prof gc ...",
      "A bare word within "
          + Typos.MAX_DISTANCE
          + " edits of a command that matches no benchmark"
          + " is taken for a mistyped command: 'sute' gets \"did you mean 'suite'?\"."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the work failed: a request failed, a benchmark produced no result, a regression",
      "2:bad usage: unknown flag, bad value, mistyped command (the message names it)"
    })
final class BenchmarksJar implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--help", usageHelp = true, description = "this text (-h is JMH's help)")
  private boolean help;

  @Option(
      names = "--version",
      versionHelp = true,
      description = "the version and the commit it was built from")
  private boolean version;

  @Unmatched private List<String> jmhArgs = new ArrayList<>();

  /** The whole command line: this command and its subcommands. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BenchmarksJar());
    // the first argument that is not ours starts JMH's command line: hand all the rest to JMH too
    cli.getCommandSpec().parser().stopAtUnmatched(true);
    // picocli hands "unmatched arguments allowed" (our @Unmatched) down to every subcommand: only
    // those that pass JMH options through keep it; the others reject an unknown flag
    for (CommandLine sub : cli.getSubcommands().values()) {
      CommandSpec s = sub.getCommandSpec();
      s.parser().unmatchedArgumentsAllowed(!s.unmatchedArgsBindings().isEmpty());
    }
    return cli;
  }

  /** JMH's command line, run as {@code org.openjdk.jmh.Main} runs it. */
  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    if (!jmhArgs.isEmpty()) {
      Optional<String> meant =
          Typos.mistypedCommand(jmhArgs.get(0), spec.subcommands().keySet(), Jmh::anyMatch);
      if (meant.isPresent()) {
        throw new ParameterException(
            cli, "'" + jmhArgs.get(0) + "' is not a command; did you mean '" + meant.get() + "'?");
      }
    }
    CommandLineOptions options = Jmh.parse(jmhArgs, cli);
    Runner runner = new Runner(options);
    if (options.shouldHelp()) {
      options.showHelp();
    } else if (options.shouldList()) {
      runner.list();
    } else if (options.shouldListWithParams()) {
      runner.listWithParams(options);
    } else if (options.shouldListProfilers()) {
      options.listProfilers();
    } else if (options.shouldListResultFormats()) {
      options.listResultFormats();
    } else if (Jmh.select(options).runs() == 0) {
      throw new ParameterException(
          cli,
          "no benchmark matches "
              + String.join(" ", options.getIncludes())
              + " (-l lists the benchmarks, --help the commands)");
    } else {
      runWithHistogramFolder(options);
    }
    return 0;
  }

  /**
   * Runs JMH as JMH runs it; when our benchmarks are among those it runs and the user named no
   * folder for their files ({@code -Dkeepalive.results=DIR} in the JVM options), the run gets a new
   * run folder of its own ({@link RunFolder}) rather than writing into another run's: {@code
   * StrategyBenchmark}'s histograms go there, and so does JMH's result file ({@code jmh.json},
   * JSON, unless {@code -rf} names another format or {@code -rff} another file).
   */
  private void runWithHistogramFolder(CommandLineOptions options) throws Exception {
    String property = "-D" + StrategyBenchmark.RESULTS_PROPERTY + "=";
    String ours = StrategyBenchmark.class.getPackageName() + ".";
    boolean oursRun =
        Jmh.entries(options).stream().anyMatch(e -> e.getUserClassQName().startsWith(ours));
    List<String> jvmArgs = new ArrayList<>();
    for (var given :
        List.of(options.getJvmArgs(), options.getJvmArgsAppend(), options.getJvmArgsPrepend())) {
      jvmArgs.addAll(given.orElse(List.of()));
    }
    if (!oursRun || jvmArgs.stream().anyMatch(a -> a.startsWith(property))) {
      new Runner(options).run();
      return;
    }
    JmhLock.requireFree();
    RunFolder folder = new OutputFolder().open("", spec.commandLine().getErr());
    spec.commandLine().getErr().println("benchmarks.jar: this run's files go to " + folder.dir());
    List<String> append = new ArrayList<>(options.getJvmArgsAppend().orElse(List.of()));
    append.add(property + folder.dir().toAbsolutePath());
    ChainedOptionsBuilder run =
        new OptionsBuilder().parent(options).jvmArgsAppend(append.toArray(new String[0]));
    if (options.getResult().hasValue()) {
      spec.commandLine()
          .getErr()
          .println("benchmarks.jar: JMH's results go to " + options.getResult().get());
    } else {
      ResultFormatType format = options.getResultFormat().orElse(ResultFormatType.JSON);
      run.resultFormat(format)
          .result(
              folder.dir().resolve("jmh." + format.toString().toLowerCase(Locale.ROOT)).toString());
    }
    try {
      new Runner(run.build()).run();
    } catch (Exception | Error e) {
      folder.failed(e.getMessage() == null ? e.toString() : e.getMessage());
      throw e;
    }
    folder.succeeded();
  }
}
