package dev.keepalive.cli;

import dev.keepalive.report.Report;
import dev.keepalive.report.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report RUN [--out DIR [--force]]} and {@code report --publish RUN README}. A run folder's
 * report goes into that folder; a JMH JSON file's goes to stdout only, unless {@code --out} names a
 * folder for it (new or empty, unless {@code --force}). A run that cannot be read is bad input:
 * exit 2 and one line, with nothing written.
 */
@Command(
    name = "report",
    description = {
      "Tables and charts of a finished run: the tables on stdout; for a run folder, also"
          + " summary.md and PNG charts into that folder (or into --out DIR). For a JMH JSON file,"
          + " nothing is written unless --out says where.",
      "With --publish: regenerate the published results page README from the run folder instead"
          + " (everything is checked first: a failed run or a bad README path writes nothing).",
      ""
    })
final class ReportCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--publish", description = "regenerate the results page README from RUN")
  private boolean publish;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "write summary.md and the charts here: a new or empty folder")
  private Path out;

  @Option(names = "--force", description = "with --out: write into a folder that holds files")
  private boolean force;

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
    CommandLine cli = spec.commandLine();
    if (publish != (readme != null)) {
      throw new ParameterException(
          cli,
          publish
              ? "--publish needs RUN and the README to regenerate"
              : "unexpected argument '" + readme + "' (README goes with --publish)");
    }
    if (publish && out != null) {
      throw new ParameterException(cli, "--out does not go with --publish");
    }
    if (force && out == null) {
      throw new ParameterException(cli, "--force goes with --out DIR");
    }
    try {
      if (out != null) {
        RunFolder.checkUsable(out, force);
      }
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(cli, "--out " + e.getMessage(), e);
    }
    try {
      if (publish) {
        cli.getErr().println("report: wrote " + Report.publish(run, readme));
        return 0;
      }
      Report.Rendered r = Report.render(run);
      Path into = out != null ? out : Files.isDirectory(run) ? r.dir() : null;
      cli.getOut().print(r.markdown());
      if (into == null) {
        cli.getErr().println("report: wrote nothing (--out DIR writes summary.md and the charts)");
        return 0;
      }
      Report.Written w = Report.write(r, into);
      cli.getErr()
          .println(
              "report: wrote "
                  + w.summary()
                  + (w.charts().isEmpty() ? "" : " and " + w.charts().size() + " charts"));
      return 0;
    } catch (IOException e) {
      throw new ParameterException(cli, e.getMessage(), e);
    }
  }
}
