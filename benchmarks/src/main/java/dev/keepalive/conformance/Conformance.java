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

  /** One scenario on one Node line: both traces and what they say. */
  public record Verdict(Scenario scenario, NodeVersion version, Trace node, Trace ours) {

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
   * our agent with that {@code nodeVersion}.
   */
  public static List<Verdict> run(Path node, NodeVersion version, List<Scenario> scenarios)
      throws IOException, InterruptedException {
    List<Trace> nodeTraces = NodeRun.run(node, scenarios);
    List<Trace> ourTraces = AgentRun.run(version, scenarios);
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      verdicts.add(new Verdict(scenarios.get(i), version, nodeTraces.get(i), ourTraces.get(i)));
    }
    return verdicts;
  }
}
