package dev.keepalive.cli;

import dev.keepalive.report.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report RUN} and {@code report --publish RUN README}. A run that cannot be read is bad
 * input: exit 2 and one line.
 */
@Command(
    name = "report",
    description = {
      "Tables and charts of a finished run: summary.md and PNG charts into the run's folder, the"
          + " tables on stdout.",
      "With --publish: regenerate the published results page README from the run instead.",
      ""
    })
final class ReportCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--publish", description = "regenerate the results page README from RUN")
  private boolean publish;

  @Parameters(
      index = "0",
      paramLabel = "RUN",
      description = "a run folder holding jmh.json, or the JMH JSON file itself")
  private Path run;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "README",
      description = "with --publish: the page to regenerate (results/README.md)")
  private Path readme;

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() {
    if (publish != (readme != null)) {
      throw new ParameterException(
          spec.commandLine(),
          publish
              ? "--publish needs RUN and the README to regenerate"
              : "unexpected argument '" + readme + "' (README goes with --publish)");
    }
    try {
      if (publish) {
        spec.commandLine().getErr().println("report: wrote " + Report.publish(run, readme));
        return 0;
      }
      Report.Written w = Report.write(run);
      spec.commandLine().getOut().print(w.markdown());
      spec.commandLine()
          .getErr()
          .println(
              "report: wrote "
                  + w.summary()
                  + (w.charts().isEmpty() ? "" : " and " + w.charts().size() + " charts"));
      return 0;
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
