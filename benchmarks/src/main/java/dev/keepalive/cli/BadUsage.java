package dev.keepalive.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad usage in one line that names the flag, the value and what is allowed: {@code --max-sockets
 * must be >= 1, was 0}, {@code --scheduling must be lifo or fifo, was 'filo'}, {@code unknown flag
 * '--max-socket'; did you mean '--max-sockets'?}.
 */
final class BadUsage {

  /** How a missing value is named, by the value's label in the synopsis; else "a value". */
  private static final Map<String, String> VALUE_NOUNS =
      Map.of("DIR", "a directory", "FILE", "a file");

  private BadUsage() {}

  /** The one line {@link Main} prints for a bad command line. */
  static String oneLine(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      return unmatched(u.getUnmatched().get(0), u.getCommandLine().getCommandSpec());
    }
    if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
      return missing(m.getMissing());
    }
    if (e instanceof OverwrittenOptionException o && o.getOverwritten() != null) {
      return name(o.getOverwritten()) + " may be given only once";
    }
    ArgSpec arg = e.getArgSpec();
    if (arg != null && e.getValue() != null) {
      return name(arg) + " " + valueProblem(arg, e.getValue(), e.getCause());
    }
    return e.getMessage();
  }

  /**
   * A builder's rejection as bad usage under the flag that set the rejected property: the fields of
   * {@code flags} are named after the builder properties they set, and a builder's message starts
   * with the property's name ({@code maxSockets must be >= 1, was 0} becomes {@code --max-sockets
   * must be >= 1, was 0}). A message about no flag's property stays as it is.
   */
  static ParameterException underFlag(
      IllegalArgumentException e, CommandSpec flags, CommandLine command) {
    String message = String.valueOf(e.getMessage());
    String property = message.split(" ", 2)[0];
    for (OptionSpec o : flags.options()) {
      if (o.userObject() instanceof Field f && f.getName().equals(property)) {
        message = o.longestName() + message.substring(property.length());
        break;
      }
    }
    return new ParameterException(command, message, e);
  }

  /** Thrown for an argument that looks like a flag but is none of {@code command}'s. */
  static ParameterException unknownFlag(String arg, CommandLine command) {
    return new UnmatchedArgumentException(command, List.of(arg));
  }

  private static String unmatched(String arg, CommandSpec command) {
    if (!arg.startsWith("-")) {
      return "unexpected argument '" + arg + "'";
    }
    String flag = arg.split("=", 2)[0];
    return "unknown flag '"
        + arg
        + "'"
        + Typos.nearest(flag, command.optionsMap().keySet())
            .map(f -> "; did you mean '" + f + "'?")
            .orElse("");
  }

  private static String missing(List<ArgSpec> missing) {
    ArgSpec first = missing.get(0);
    if (first instanceof OptionSpec o) {
      return o.longestName() + " needs " + VALUE_NOUNS.getOrDefault(o.paramLabel(), "a value");
    }
    List<String> labels = new ArrayList<>();
    for (ArgSpec a : missing) {
      labels.add(a.paramLabel());
    }
    return "missing " + String.join(" and ", labels);
  }

  private static String valueProblem(ArgSpec arg, String value, Throwable cause) {
    List<String> allowed = new ArrayList<>();
    if (arg.completionCandidates() != null) {
      arg.completionCandidates().forEach(allowed::add);
    }
    Class<?> type = arg.auxiliaryTypes().length > 0 ? arg.auxiliaryTypes()[0] : arg.type();
    if (!allowed.isEmpty()) {
      return "must be " + either(allowed) + ", was '" + value + "'";
    }
    if (arg.converters().length > 0 && cause != null) {
      return cause.getMessage(); // the converters of this package say what is wrong: "must be ..."
    }
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "must be a whole number, was '" + value + "'";
    }
    if (type == double.class || type == Double.class) {
      return "must be a number, was '" + value + "'";
    }
    return cause != null ? cause.getMessage() : "was '" + value + "'";
  }

  /** "a", "a or b", "a, b or c". */
  private static String either(List<String> values) {
    int last = values.size() - 1;
    return last == 0
        ? values.get(0)
        : String.join(", ", values.subList(0, last)) + " or " + values.get(last);
  }

  private static String name(ArgSpec arg) {
    return arg instanceof PositionalParamSpec ? arg.paramLabel() : ((OptionSpec) arg).longestName();
  }
}
