package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The short names of a JMH file's rows, as {@code compare} prints and exports them. */
final class RowName {

  /** The parameters a strategy row's short name ("keep-alive c16 13B") always shows. */
  private static final Set<String> WORKLOAD_PARAMS =
      Set.of("strategy", "concurrency", "payload", "origins", "rttMs", "serverDelayMs", "work");

  private RowName() {}

  /** Per benchmark, the parameters whose value is not the same in every entry of the file. */
  static Map<String, Set<String>> varyingParams(JsonNode root) {
    Map<String, Map<String, Set<String>>> values = new HashMap<>();
    for (JsonNode e : root) {
      Map<String, Set<String>> b =
          values.computeIfAbsent(e.get("benchmark").asText(), k -> new HashMap<>());
      e.path("params")
          .fields()
          .forEachRemaining(
              f -> b.computeIfAbsent(f.getKey(), k -> new HashSet<>()).add(f.getValue().asText()));
    }
    Map<String, Set<String>> out = new HashMap<>();
    values.forEach(
        (benchmark, params) -> {
          Set<String> v = new HashSet<>();
          params.forEach(
              (p, seen) -> {
                if (seen.size() > 1) {
                  v.add(p);
                }
              });
          out.put(benchmark, v);
        });
    return out;
  }

  /**
   * A row's short name: {@code keep-alive c16 13B} for a strategy row (with {@code o2}, {@code
   * r10}, {@code d5}, {@code w100} when they apply), else {@code Class.method}; then the value of
   * each other parameter that varies within the file, and the mode unless it is throughput.
   */
  static String of(String benchmark, String mode, Map<String, String> params, Set<String> varying) {
    StringBuilder sb = new StringBuilder();
    boolean strategyRow = params.containsKey("strategy") && params.containsKey("concurrency");
    if (strategyRow) {
      sb.append(params.get("strategy"))
          .append(" c")
          .append(params.get("concurrency"))
          .append(' ')
          .append(params.getOrDefault("payload", "?"))
          .append('B');
      appendUnlessDefault(sb, " o", params.get("origins"), "1");
      appendUnlessDefault(sb, " r", params.get("rttMs"), "0");
      appendUnlessDefault(sb, " d", params.get("serverDelayMs"), "0");
      appendUnlessDefault(sb, " w", params.get("work"), "0");
    } else {
      sb.append(
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
    }
    params.forEach(
        (k, v) -> {
          boolean shown = strategyRow && WORKLOAD_PARAMS.contains(k);
          if (!shown && varying != null && varying.contains(k)) {
            sb.append(' ').append(k).append('=').append(v);
          }
        });
    if (!mode.equals("thrpt")) {
      sb.append(" [").append(mode).append(']');
    }
    return sb.toString();
  }

  private static void appendUnlessDefault(
      StringBuilder sb, String prefix, String value, String absent) {
    if (value != null && !value.isEmpty() && !value.equals(absent)) {
      sb.append(prefix).append(value);
    }
  }
}
