package dev.keepalive.conformance;

import dev.keepalive.agent.NodeVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Node line against our agent: every scenario through the real binary, then through our agent
 * with the matching {@code nodeVersion}, each against its own scripted server, and a verdict per
 * scenario.
 */
public final class Conformance {

  /** How a scenario came out. */
  public enum Kind {
    /** Node and ours agree. */
    MATCH("match"),
    /** They differ where the docs say ours deliberately does. */
    DOCUMENTED("differ (documented)"),
    /** They differ, and nothing explains it: a bug in ours, or a Node change to follow. */
    DIFFER("DIFFER"),
    /** They agree where a deviation is documented: the documentation is out of date. */
    UNEXPECTED_MATCH("MATCH, but a deviation is documented");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * One scenario on one Node line: both traces and what they say; {@code runs} is 2 when the first
   * run was not as documented and the scenario ran once more.
   */
  public record Verdict(Scenario scenario, NodeVersion version, Trace node, Trace ours, int runs) {

    public Kind kind() {
      boolean same = node.equals(ours);
      boolean documented = scenario.deviation(version) != null;
      if (same) {
        return documented ? Kind.UNEXPECTED_MATCH : Kind.MATCH;
      }
      return documented ? Kind.DOCUMENTED : Kind.DIFFER;
    }

    /** Whether this verdict is what the docs promise (a match, or a documented deviation). */
    public boolean asDocumented() {
      Kind k = kind();
      return k == Kind.MATCH || k == Kind.DOCUMENTED;
    }

    /** The differing lines, Node's then ours, or empty. */
    public List<String> differences() {
      return node.differences(ours);
    }
  }

  private Conformance() {}

  /**
   * Runs {@code scenarios} through {@code node} (a binary of {@code version}'s line) and through
   * our agent with that {@code nodeVersion}. A scenario that does not come out as documented runs
   * once more, both sides, and the second run decides: some scenarios race a server's timer against
   * a client's (stray bytes 50 ms after a response, an idle close), and a loaded machine can swap
   * them once. A real difference shows on both runs.
   */
  public static List<Verdict> run(Path node, NodeVersion version, List<Scenario> scenarios)
      throws IOException, InterruptedException {
    List<Verdict> verdicts = compare(node, version, scenarios, 1);
    List<Scenario> again = new ArrayList<>();
    for (Verdict v : verdicts) {
      if (!v.asDocumented()) {
        again.add(v.scenario());
      }
    }
    if (!again.isEmpty()) {
      for (Verdict second : compare(node, version, again, 2)) {
        verdicts.set(scenarios.indexOf(second.scenario()), second);
      }
    }
    return verdicts;
  }

  private static List<Verdict> compare(
      Path node, NodeVersion version, List<Scenario> scenarios, int run)
      throws IOException, InterruptedException {
    List<Trace> nodeTraces = NodeRun.run(node, scenarios);
    List<Trace> ourTraces = AgentRun.run(version, scenarios);
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      verdicts.add(
          new Verdict(scenarios.get(i), version, nodeTraces.get(i), ourTraces.get(i), run));
    }
    return verdicts;
  }
}
