package dev.keepalive.conformance;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance report a user reads, for one Node binary: a heading with the counts, one table
 * row per scenario (what it covers, the verdict), then for each scenario that differs the reason
 * when one is documented and the differing trace lines, Node's and ours.
 */
public final class ConformanceTable {

  private ConformanceTable() {}

  /**
   * @param nodeVersion the binary's own {@code --version}, e.g. {@code v22.23.5}
   */
  public static String markdown(String nodeVersion, List<Conformance.Verdict> verdicts) {
    Map<Conformance.Kind, Integer> counts = new EnumMap<>(Conformance.Kind.class);
    for (Conformance.Verdict v : verdicts) {
      counts.merge(v.kind(), 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    String line = verdicts.isEmpty() ? "?" : verdicts.get(0).version().toString();
    sb.append("### Node ")
        .append(nodeVersion)
        .append(" against nodeVersion ")
        .append(line)
        .append("\n\n")
        .append(verdicts.size())
        .append(" scenarios: ");
    boolean first = true;
    for (Map.Entry<Conformance.Kind, Integer> e : counts.entrySet()) {
      sb.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
      first = false;
    }
    sb.append("\n\n| scenario | covers | verdict |\n|---|---|---|\n");
    for (Conformance.Verdict v : verdicts) {
      sb.append("| ")
          .append(v.scenario().name())
          .append(" | ")
          .append(v.scenario().covers())
          .append(" | ")
          .append(v.kind())
          .append(v.runs() > 1 ? " (second run)" : "")
          .append(" |\n");
    }
    for (Conformance.Verdict v : verdicts) {
      if (v.kind() == Conformance.Kind.MATCH) {
        continue;
      }
      sb.append("\n").append(v.scenario().name()).append(": ").append(v.kind());
      String why = v.scenario().deviation(v.version());
      if (why != null) {
        sb.append(" — ").append(why);
      }
      sb.append("\n```\n");
      for (String d : v.differences()) {
        sb.append(d).append('\n');
      }
      if (v.differences().isEmpty()) {
        sb.append("Node and ours answered alike:\n").append(v.node()).append('\n');
      }
      sb.append("```\n");
    }
    return sb.toString();
  }
}
