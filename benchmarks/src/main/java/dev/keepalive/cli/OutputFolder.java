package dev.keepalive.cli;

import java.nio.file.Path;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --out DIR}, shared by the commands that run JMH: where a run writes its files. Its default
 * is the command's own ({@link RunCommand#defaultFolder()}), filled in by {@link Default}, which
 * the command names as its {@code defaultValueProvider}.
 */
final class OutputFolder {

  /** A command that writes a run into a folder. */
  interface RunCommand {
    /** Where the run goes when {@code --out} is not given. */
    Path defaultFolder();
  }

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "folder for the run's files (default ${DEFAULT-VALUE})")
  private Path out;

  Path folder() {
    return out;
  }

  /** The default of {@code --out}: the command's {@link RunCommand#defaultFolder()}. */
  static final class Default implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      return arg instanceof OptionSpec o
              && o.longestName().equals("--out")
              && arg.command().userObject() instanceof RunCommand c
          ? c.defaultFolder().toString()
          : null;
    }
  }
}
