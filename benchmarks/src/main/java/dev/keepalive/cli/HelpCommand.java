package dev.keepalive.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code help [COMMAND]}: the usage of {@code benchmarks.jar}, or of one command. */
@Command(
    name = "help",
    description = "The commands and options of benchmarks.jar, or the usage of one command.")
final class HelpCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "the command to explain")
  private String command;

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() {
    CommandLine top = spec.parent().commandLine();
    if (command == null) {
      top.usage(spec.commandLine().getOut());
      return 0;
    }
    CommandLine sub = top.getSubcommands().get(command);
    if (sub == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "'"
              + command
              + "' is not a command"
              + Typos.nearest(command, top.getSubcommands().keySet())
                  .map(c -> "; did you mean '" + c + "'?")
                  .orElse(""));
    }
    sub.usage(spec.commandLine().getOut());
    return 0;
  }
}
