package dev.keepalive.cli;

import dev.keepalive.bench.Strategy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The {@code -p name=values} a user gives {@code suite}, {@code overhead} or {@code faults},
 * checked before anything starts: a name the selected benchmarks do not declare, or a value their
 * setup would reject (a row not in the strategy catalogue, a count that is not a whole number), is
 * bad usage (exit 2) instead of a run whose every trial fails in a forked JVM. A parameter without
 * a check here (one a benchmark added later) goes to JMH unchecked.
 */
final class JmhParams {

  /** What each parameter of our benchmarks accepts; the message starts after {@code -p NAME}. */
  private static final Map<String, Consumer<String>> CHECKS =
      Map.ofEntries(
          Map.entry("strategy", v -> Strategy.of(v)),
          Map.entry("row", v -> Strategy.FaultRow.of(v, 200)),
          Map.entry("server", v -> oneOf(v, "process", "inprocess")),
          Map.entry("target", JmhParams::target),
          Map.entry("scheme", v -> oneOf(v, "http", "https")),
          Map.entry("concurrency", v -> wholeNumber(v, 1)),
          Map.entry("origins", v -> wholeNumber(v, 1)),
          Map.entry("payload", v -> wholeNumber(v, 0)),
          Map.entry("serverDelayMs", v -> wholeNumber(v, 0)),
          Map.entry("rttMs", v -> wholeNumber(v, 0)),
          Map.entry("middleboxIdleMs", v -> wholeNumber(v, 0)),
          Map.entry("pauseMs", v -> wholeNumber(v, 0)),
          Map.entry("serverIdleMs", v -> wholeNumber(v, 1)),
          Map.entry("burst", v -> wholeNumber(v, 1)),
          Map.entry("rate", v -> wholeNumber(v, 1)),
          Map.entry("arrivals", v -> oneOf(v, "constant", "poisson")),
          Map.entry("timeoutMs", v -> wholeNumber(v, 0)));

  private JmhParams() {}

  /**
   * @param jmhArgs the user's JMH command line (for the names given with {@code -p})
   * @param runs the options each run will have (the user's, merged with the command's own)
   * @throws ParameterException naming the parameter, the value and what is allowed
   */
  static void check(List<String> jmhArgs, List<Options> runs, CommandLine command) {
    Set<String> declared = new TreeSet<>();
    Set<String> benchmarks = new TreeSet<>();
    for (Options o : runs) {
      for (BenchmarkListEntry e : Jmh.entries(o)) {
        benchmarks.add(simpleName(e.getUsername()));
        declared.addAll(e.getParams().orElse(Map.of()).keySet());
      }
    }
    for (String name : givenNames(jmhArgs)) {
      if (!declared.contains(name)) {
        throw new ParameterException(
            command,
            "-p "
                + name
                + ": no such parameter of "
                + String.join(", ", benchmarks)
                + (declared.isEmpty() ? "" : "; its parameters: " + String.join(", ", declared)));
      }
    }
    for (Options o : runs) {
      for (String name : declared) {
        Consumer<String> check = CHECKS.get(name);
        for (String value : o.getParameter(name).orElse(List.of())) {
          if (check != null) {
            try {
              check.accept(value);
            } catch (IllegalArgumentException e) {
              String message = String.valueOf(e.getMessage());
              throw new ParameterException(
                  command,
                  "-p " + (message.startsWith(name + " ") ? message : name + " " + message),
                  e);
            }
          }
        }
      }
      schemeFitsEveryStrategy(o, command);
    }
  }

  /** JMH runs every combination: a row that speaks plain TCP only cannot meet scheme https. */
  private static void schemeFitsEveryStrategy(Options o, CommandLine command) {
    for (String scheme : o.getParameter("scheme").orElse(List.of())) {
      for (String strategy : o.getParameter("strategy").orElse(List.of())) {
        try {
          Strategy.of(strategy).requireScheme(scheme);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(
              command,
              "-p "
                  + e.getMessage()
                  + ": give -p strategy without it, or -p scheme=http (TLS rows: "
                  + String.join(", ", Strategy.TLS_ROWS)
                  + ")",
              e);
        }
      }
    }
  }

  /** The names of {@code -p name=...} and {@code -pname=...}, in order. */
  static Set<String> givenNames(List<String> jmhArgs) {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < jmhArgs.size(); i++) {
      String a = jmhArgs.get(i);
      String spec = a.equals("-p") && i + 1 < jmhArgs.size() ? jmhArgs.get(++i) : null;
      if (spec == null && a.startsWith("-p") && a.length() > 2 && !a.startsWith("-prof")) {
        spec = a.substring(2);
      }
      if (spec != null) {
        names.add(spec.split("=", 2)[0]);
      }
    }
    return names;
  }

  private static String simpleName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    return benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1, method);
  }

  private static void oneOf(String value, String... allowed) {
    if (!List.of(allowed).contains(value)) {
      throw new IllegalArgumentException(
          "must be " + String.join(" or ", allowed) + ", was '" + value + "'");
    }
  }

  private static void wholeNumber(String value, int min) {
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "must be a whole number >= " + min + ", was '" + value + "'", e);
    }
    if (n < min) {
      throw new IllegalArgumentException("must be >= " + min + ", was " + n);
    }
  }

  /** Empty (the harness server), or an external {@code http://host:port}. */
  private static void target(String value) {
    if (value.isEmpty()) {
      return;
    }
    String problem = "must be empty or http(s)://host:port, was '" + value + "'";
    try {
      URI uri = new URI(value);
      if (!List.of("http", "https").contains(uri.getScheme())
          || uri.getHost() == null
          || uri.getPort() > 65535) {
        throw new IllegalArgumentException(problem);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(problem, e);
    }
  }
}
