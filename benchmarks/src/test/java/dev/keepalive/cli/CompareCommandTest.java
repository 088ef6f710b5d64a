package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of {@code compare} and {@code report}. */
class CompareCommandTest {

  @TempDir Path tmp;

  static Cli.Run compare(String... args) {
    return Cli.command("compare", args);
  }

  private Path golden() throws Exception {
    Path copy = tmp.resolve("jmh.json");
    Files.copy(
        Path.of(getClass().getResource("/golden/quick/jmh.json").toURI()),
        copy,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  @Test
  void identicalRunsExitZero() throws Exception {
    Path g = golden();
    Cli.Run r = compare(g.toString(), g.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0 regressed"), r.out());
  }

  /** The golden run with every score and raw datum × factor. */
  private Path variant(String name, double factor) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode root = m.readTree(golden().toFile());
    for (com.fasterxml.jackson.databind.JsonNode e : root) {
      var pm = (com.fasterxml.jackson.databind.node.ObjectNode) e.get("primaryMetric");
      pm.put("score", pm.get("score").asDouble() * factor);
      for (com.fasterxml.jackson.databind.JsonNode fork : pm.get("rawData")) {
        var its = (com.fasterxml.jackson.databind.node.ArrayNode) fork;
        for (int i = 0; i < its.size(); i++) {
          its.set(i, its.get(i).asDouble() * factor);
        }
      }
    }
    Path p = tmp.resolve(name);
    Files.writeString(p, m.writeValueAsString(root));
    return p;
  }

  @Test
  void anEstablishedRegressionExitsOne() throws Exception {
    Cli.Run r =
        compare(
            variant("base.json", 1.0).toString(),
            variant("slower.json", 1 / 3.0).toString(),
            "--format",
            "json");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("\"verdict\" : \"regressed\""), r.out());
    assertTrue(r.out().contains("\"evidence\" : \"iterations\""), r.out());
    assertEquals("", r.err(), "nothing written");
    assertFalse(Files.exists(tmp.resolve("customBiggerIsBetter.json")), "nothing next to NEW");
  }

  /**
   * Three rounds, the machine at 100 %, 50 % and 90 % speed, NEW 20 % slower within each: paired, a
   * regression (exit 1) resting on the rounds; the same files merged unpaired, not.
   */
  @Test
  void pairedRoundsAreJudgedRoundByRound() throws Exception {
    double[] speed = {1.0, 0.5, 0.9};
    java.util.List<String> base = new java.util.ArrayList<>();
    java.util.List<String> now = new java.util.ArrayList<>();
    for (int i = 0; i < speed.length; i++) {
      base.add(variant("b" + i + ".json", speed[i]).toString());
      now.add(variant("n" + i + ".json", speed[i] * 0.8).toString());
    }
    Cli.Run r = compare(String.join(",", base), String.join(",", now), "--paired");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("| 3 rounds, paired | **regressed** |"), r.out());
    r = compare(String.join(",", base), String.join(",", now));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("| 3+3 forks |"), "merged: one fork per file: " + r.out());
    assertTrue(r.out().contains("0 regressed"), r.out());
    // a round short on one side, or one round only: named, exit 2
    r = compare(String.join(",", base), String.join(",", now.subList(0, 2)), "--paired");
    assertEquals(2, r.code(), r.out());
    assertTrue(
        r.err()
            .contains(
                "--paired needs as many BASE files as NEW files, 2 or more (one per round); were"
                    + " 3 and 2"),
        r.err());
    r = compare(base.get(0), now.get(0), "--paired");
    assertEquals(2, r.code(), r.out());
    // two rounds that disagree 4×: t with 1 degree of freedom, an interval shown as what it is
    r =
        compare(
            base.get(0) + "," + base.get(1),
            variant("x0.json", 0.5) + "," + variant("x1.json", 1.0),
            "--paired");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(
        r.out().contains("–> 1000) | > ±1000 % | 2 rounds, paired | inconclusive |"), r.out());
    r =
        compare(
            base.get(0),
            String.join(",", now),
            "--export-smaller",
            tmp.resolve("x.json").toString());
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("--export-smaller reads the histograms of one run"), r.err());
    assertFalse(Files.exists(tmp.resolve("x.json")));
    // one side's runs on two JDKs: not one setup, named
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    Files.copy(Path.of(base.get(0)), a.resolve("jmh.json"));
    Files.copy(Path.of(base.get(1)), b.resolve("jmh.json"));
    Files.writeString(a.resolve("env.json"), "{\"cpuModel\":\"X\",\"cores\":2,\"jdk\":\"17\"}");
    Files.writeString(b.resolve("env.json"), "{\"cpuModel\":\"X\",\"cores\":2,\"jdk\":\"25\"}");
    r =
        compare(
            a.resolve("jmh.json") + "," + b.resolve("jmh.json"),
            now.get(0) + "," + now.get(1),
            "--paired");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("BASE's runs come from different machines or JDKs"), r.err());
  }

  @Test
  void anInconclusiveRowIsNotARegression() throws Exception {
    // the golden run's iterations differ by up to 60 %: a 15 % drop cannot be told from that
    Cli.Run r = compare(variant("base.json", 1.0).toString(), variant("new.json", 0.85).toString());
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("| inconclusive |"), r.out());
    assertTrue(r.out().contains("0 regressed"), r.out());
  }

  @Test
  void theExportGoesWhereAskedAndReplacesNothingUnlessForced() throws Exception {
    Path g = goldenRun();
    Path bigger = tmp.resolve("ci/throughput.json");
    Path smaller = tmp.resolve("ci/latency.json");
    Cli.Run r =
        compare(
            g.toString(),
            g.toString(),
            "--export-bigger",
            bigger.toString(),
            "--export-smaller",
            smaller.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("compare: wrote " + bigger), r.err());
    com.fasterxml.jackson.databind.JsonNode small =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(smaller.toFile());
    java.util.List<String> names = new java.util.ArrayList<>();
    small.forEach(n -> names.add(n.get("name").asText()));
    assertTrue(names.contains("keep-alive c16 13B p50"), names.toString());
    assertTrue(names.contains("keep-alive c16 13B p99"), names.toString());
    assertTrue(names.contains("no-agent c1 13B connections/1k"), names.toString());
    assertTrue(
        Files.readString(bigger).contains("\"name\" : \"keep-alive c16 13B\""),
        Files.readString(bigger));
    Files.writeString(bigger, "mine");
    r =
        compare(
            g.toString(), g.toString(), "--format", "json", "--export-bigger", bigger.toString());
    assertEquals(2, r.code());
    assertEquals(
        "compare: --export-bigger: "
            + bigger
            + " exists already; choose another file, or add --force to replace it\n",
        r.err());
    assertEquals("", r.out(), "refused before comparing");
    assertEquals("mine", Files.readString(bigger));
    r = compare(g.toString(), g.toString(), "--export-bigger", bigger.toString(), "--force");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(bigger).startsWith("["));
    assertEquals(2, compare(g.toString(), g.toString(), "--force").code());
  }

  @Test
  void anEmptyExportIsAnErrorAndNothingIsWritten() throws Exception {
    Path pool = tmp.resolve("pool.json");
    Files.copy(Path.of(getClass().getResource("/golden/pool-avgt.json").toURI()), pool);
    Path bigger = tmp.resolve("bigger.json");
    Cli.Run r = compare(pool.toString(), pool.toString(), "--export-bigger", bigger.toString());
    assertEquals(2, r.code(), r.out());
    assertEquals(
        "compare: NEW has no bigger-is-better (throughput) figures: "
            + bigger
            + " would be empty; not written\n",
        r.err());
    assertFalse(Files.exists(bigger));
    assertEquals("", r.out());
  }

  /** The golden run folder: jmh.json with env.json and hdr/ next to it. */
  private Path goldenRun() throws Exception {
    Path run = tmp.resolve("run");
    Path src = Path.of(getClass().getResource("/golden/quick").toURI());
    try (var files = Files.walk(src)) {
      for (Path p : files.toList()) {
        Path dst = run.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    }
    return run.resolve("jmh.json");
  }

  @Test
  void runsWhoseCpusRanAtDifferentSpeedsSaySo() throws Exception {
    Path base = tmp.resolve("base");
    Path now = tmp.resolve("now");
    Files.createDirectories(base);
    Files.createDirectories(now);
    Path g = golden();
    Files.copy(g, base.resolve("jmh.json"));
    Files.copy(g, now.resolve("jmh.json"));
    // medians per CPU: BASE 105 / 110 ms, NEW 100 / 100 ms: CPU 1 10 % slower in BASE
    Files.writeString(
        base.resolve("precision.json"),
        "{\"rows\":[{\"cpuProbeMillis\":[[104,109],[105,110]]},"
            + "{\"cpuProbeMillis\":[[106,111]]}]}");
    Files.writeString(
        now.resolve("precision.json"), "{\"rows\":[{\"cpuProbeMillis\":[[100,100]]}]}");
    Cli.Run r = compare(base.resolve("jmh.json").toString(), now.resolve("jmh.json").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out()
            .contains(
                "- CPU speed differs: the suite's probe took a median of 105.0 / 110.0 ms per CPU"
                    + " in BASE's run and 100.0 / 100.0 ms in NEW's, up to 10 % apart"),
        r.out());
    // within 5 %: nothing said
    Files.writeString(
        now.resolve("precision.json"), "{\"rows\":[{\"cpuProbeMillis\":[[103,107]]}]}");
    r = compare(base.resolve("jmh.json").toString(), now.resolve("jmh.json").toString());
    assertFalse(r.out().contains("CPU speed differs"), r.out());
    // a precision.json that is not JSON is named, not ignored
    Files.writeString(now.resolve("precision.json"), "{not json");
    r = compare(base.resolve("jmh.json").toString(), now.resolve("jmh.json").toString());
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("NEW's " + now.resolve("precision.json")), r.err());
  }

  @Test
  void aRunsOwnPrecisionFileBesideItsCopyIsRead() throws Exception {
    // several runs' copies in one folder, as scripts/planted-slowdown.sh keeps them:
    // k01-baseline.jmh.json with k01-baseline.precision.json
    Path dir = tmp.resolve("rounds");
    Files.createDirectories(dir);
    Path g = golden();
    Path b = dir.resolve("k01-baseline.jmh.json");
    Path n = dir.resolve("k01-identical.jmh.json");
    Files.copy(g, b);
    Files.copy(g, n);
    Files.writeString(
        dir.resolve("k01-baseline.precision.json"),
        "{\"rows\":[{\"cpuProbeMillis\":[[120,100]]}]}");
    Files.writeString(
        dir.resolve("k01-identical.precision.json"),
        "{\"rows\":[{\"cpuProbeMillis\":[[100,100]]}]}");
    Cli.Run r = compare(b.toString(), n.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out()
            .contains(
                "- CPU speed differs: the suite's probe took a median of 120.0 / 100.0 ms per CPU"
                    + " in BASE's run and 100.0 / 100.0 ms in NEW's"),
        r.out());
    // a folder's precision.json is not taken for a copy that has its own
    Files.writeString(
        dir.resolve("precision.json"), "{\"rows\":[{\"cpuProbeMillis\":[[100,100]]}]}");
    r = compare(b.toString(), n.toString());
    assertTrue(r.out().contains("120.0 / 100.0 ms per CPU in BASE's run"), r.out());
  }

  @Test
  void aBrokenRunIsNeverAPass() throws Exception {
    Path g = golden();
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, "[]");
    Cli.Run r = compare(g.toString(), empty.toString());
    assertEquals(2, r.code(), r.out());
    assertEquals(
        "compare: " + empty + " holds no results (an empty array): nothing to compare\n", r.err());
    Path other = tmp.resolve("other.json");
    Files.writeString(
        other, Files.readString(g).replace("\"strategy\" : \"", "\"strategy\" : \"renamed-"));
    r = compare(g.toString(), other.toString());
    assertEquals(2, r.code(), r.out());
    assertTrue(
        r.err().startsWith("compare: nothing to compare: none of NEW's 11 entries"), r.err());
    Path nan = tmp.resolve("nan.json");
    Files.writeString(
        nan, Files.readString(g).replaceFirst("\"score\" : [0-9.E]+", "\"score\" : \"NaN\""));
    r = compare(g.toString(), nan.toString());
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().endsWith("has score \"NaN\", not a number >= 0\n"), r.err());
    Path failedRun = Files.createDirectories(tmp.resolve("failed"));
    Files.copy(g, failedRun.resolve("jmh.json"));
    Files.writeString(failedRun.resolve("FAILED"), "2 of 11 benchmarks produced no result\n");
    r = compare(g.toString(), failedRun.resolve("jmh.json").toString());
    assertEquals(2, r.code(), r.out());
    assertEquals(
        "compare: NEW "
            + failedRun.resolve("jmh.json")
            + " is from a run marked failed (2 of 11 benchmarks produced no result)\n",
        r.err());
  }

  @Test
  void badInputExitsTwoWithOneLine() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "not json at all");
    Cli.Run r = compare(golden().toString(), bad.toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("compare: cannot read"), r.err());
    assertEquals(2, compare(golden().toString()).code());
    Cli.Run threshold = compare(golden().toString(), golden().toString(), "--threshold", "-5");
    assertEquals(2, threshold.code());
    assertTrue(
        threshold
            .err()
            .startsWith("compare: --threshold must be a percentage in [0, 1000], was -5"),
        threshold.err());
    Cli.Run format = compare("a", "b", "--format", "xml");
    assertEquals(2, format.code());
    assertTrue(format.err().contains("--format must be md or json, was 'xml'"), format.err());
  }

  @Test
  void reportOfAMissingRunExitsTwo() {
    Cli.Run r = Cli.run("report", tmp.resolve("nothing").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("report: no JMH result file"));
  }
}
