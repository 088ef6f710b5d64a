package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.report.SummaryTable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One class names a trial's files; the benchmark that writes and the report that reads agree. */
class TrialFilesTest {

  static final String BENCHMARK = "dev.keepalive.bench.StrategyBenchmark.request";

  @TempDir Path run;

  private static Map<String, String> params(String strategy, String serverDelayMs) {
    return Map.of(
        "strategy", strategy,
        "concurrency", "16",
        "payload", "13",
        "origins", "1",
        "serverDelayMs", serverDelayMs,
        "server", "process",
        "target", "");
  }

  @Test
  void namesCarryEveryParameterThatTellsTrialsApart() {
    TrialFiles plain = TrialFiles.of(BENCHMARK, "thrpt", params("keep-alive", "0")::get);
    assertEquals("StrategyBenchmark-keep-alive-c16-p13-o1-thrpt", plain.stem());
    TrialFiles delayed = TrialFiles.of(BENCHMARK, "thrpt", params("keep-alive", "5")::get);
    assertEquals("StrategyBenchmark-keep-alive-c16-p13-o1-d5-thrpt", delayed.stem());
    Path hdr = Path.of("hdr");
    assertEquals(
        "StrategyBenchmark-keep-alive-c16-p13-o1-d5-thrpt-queue.hgrm",
        delayed.hgrm(hdr, "queue").getFileName().toString());
    assertEquals(
        "StrategyBenchmark-keep-alive-c16-p13-o1-d5-thrpt.trial.json",
        delayed.trialJson(hdr).getFileName().toString());
    TrialFiles old = TrialFiles.of(BENCHMARK, "thrpt", Map.of("strategy", "okhttp")::get);
    assertEquals(1, old.origins(), "a run before the origins parameter had one origin");
    assertEquals(0, old.serverDelayMs());
    assertEquals(0, old.rttMs(), "a run before the rttMs parameter was direct");
  }

  @Test
  void workBetweenRequestsIsPartOfTheNameAndOlderNamesStillParse() {
    Map<String, String> busy = new java.util.HashMap<>(params("keep-alive", "0"));
    busy.put("work", "250");
    TrialFiles t = TrialFiles.of(BENCHMARK, "thrpt", busy::get);
    assertEquals("StrategyBenchmark-keep-alive-c16-p13-o1-w250-thrpt", t.stem());
    assertEquals(t, TrialFiles.parse(t.hgrm(Path.of("hdr"), "queue").getFileName().toString()));
    assertEquals(
        250, TrialFiles.parse("StrategyBenchmark-okhttp-c1-p13-o1-r10-d5-w250-thrpt.hlog").work());
    assertEquals(
        0, TrialFiles.parse("StrategyBenchmark-okhttp-c1-p13-o1-r10-d5-thrpt.hlog").work());
    busy.put("work", "0");
    assertEquals(
        "StrategyBenchmark-keep-alive-c16-p13-o1-thrpt",
        TrialFiles.of(BENCHMARK, "thrpt", busy::get).stem(),
        "no work keeps the names of runs before the parameter");
  }

  @Test
  void aDistanceIsPartOfTheNameAndParsesBack() {
    Map<String, String> far = new java.util.HashMap<>(params("no-agent", "5"));
    far.put("rttMs", "10");
    TrialFiles t = TrialFiles.of(BENCHMARK, "thrpt", far::get);
    assertEquals("StrategyBenchmark-no-agent-c16-p13-o1-r10-d5-thrpt", t.stem());
    assertEquals(t, TrialFiles.parse(t.hlog(Path.of("hdr")).getFileName().toString()));
    far.put("rttMs", "0");
    assertEquals(
        "StrategyBenchmark-no-agent-c16-p13-o1-d5-thrpt",
        TrialFiles.of(BENCHMARK, "thrpt", far::get).stem(),
        "a direct path keeps the names of runs before the relay");
  }

  @Test
  void httpsIsPartOfTheNameAndParsesBackWhileHttpKeepsTheOldNames() {
    Map<String, String> tls = new java.util.HashMap<>(params("close-resume", "5"));
    tls.put("rttMs", "10");
    tls.put("scheme", "https");
    TrialFiles t = TrialFiles.of(BENCHMARK, "thrpt", tls::get);
    assertEquals("StrategyBenchmark-close-resume-c16-p13-o1-r10-d5-https-thrpt", t.stem());
    assertTrue(t.https());
    Path hdr = Path.of("hdr");
    for (Path p : List.of(t.hgrm(hdr), t.hgrm(hdr, "connect"), t.hlog(hdr), t.trialJson(hdr))) {
      assertEquals(t, TrialFiles.parse(p.getFileName().toString()), p.toString());
    }
    tls.put("scheme", "http");
    TrialFiles plain = TrialFiles.of(BENCHMARK, "thrpt", tls::get);
    assertEquals("StrategyBenchmark-close-resume-c16-p13-o1-r10-d5-thrpt", plain.stem());
    assertEquals(plain, TrialFiles.parse(plain.hlog(hdr).getFileName().toString()));
    assertEquals(
        "http", TrialFiles.parse("StrategyBenchmark-okhttp-c1-p13-o1-thrpt.hlog").scheme());
    tls.put("scheme", "ftp");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TrialFiles.of(BENCHMARK, "thrpt", tls::get));
    assertTrue(e.getMessage().contains("'ftp'"), e.getMessage());
  }

  @Test
  void everyNameParsesBackToItsTrial() throws Exception {
    TrialFiles t =
        TrialFiles.of(
            BENCHMARK, "sample", params(Strategy.APACHE_HC5_MAX_TOTAL_PREFIX + 8, "2")::get);
    Path hdr = Path.of("hdr");
    for (Path p : List.of(t.hgrm(hdr), t.hgrm(hdr, "connect"), t.hlog(hdr), t.trialJson(hdr))) {
      assertEquals(t, TrialFiles.parse(p.getFileName().toString()), p.toString());
    }
    try (Stream<Path> golden = Files.list(goldenHdr())) {
      for (Path p : golden.toList()) {
        String name = p.getFileName().toString();
        TrialFiles parsed = TrialFiles.parse(name);
        assertTrue(List.of(parsed.hgrm(goldenHdr()), parsed.hlog(goldenHdr())).contains(p), name);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> TrialFiles.parse("summary.md"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TrialFiles.of(BENCHMARK, "thrpt", Map.of("concurrency", "many")::get));
  }

  private static Path goldenHdr() throws URISyntaxException {
    return Path.of(TrialFilesTest.class.getResource("/golden/quick/hdr").toURI());
  }

  /** Until one class named the files, the report looked for a delayed trial's log without -d. */
  @Test
  void aDelayedTrialsPercentilesReachTheReport() throws Exception {
    Map<String, String> params = params("keep-alive", "5");
    PhaseHistograms h = new PhaseHistograms();
    for (int i = 1; i <= 100; i++) {
      h.recordTotalNanos(5_000_000 + i * 10_000L); // a 5 ms server delay, and then some
    }
    TrialLog log = new TrialLog();
    long now = System.currentTimeMillis();
    log.add(0, now, now + 1000, h);
    log.write(TrialFiles.of(BENCHMARK, "thrpt", params::get), TrialFiles.hdrDir(run), 1, now);
    writeJmhJson(params);

    SummaryTable.Row row =
        SummaryTable.read(run.resolve("jmh.json"), TrialFiles.hdrDir(run)).get(0);
    assertTrue(row.p50Micros() >= 5000 && row.p50Micros() < 6100, row.toString());
    String md = SummaryTable.markdown(List.of(row));
    assertTrue(md.contains("| 5,"), "p50 shown, not –: " + md);
    assertTrue(md.contains("### concurrency 16, payload 13 B, server delay 5 ms\n"), md);
  }

  private void writeJmhJson(Map<String, String> params) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode e = json.createObjectNode();
    e.put("benchmark", BENCHMARK).put("mode", "thrpt");
    ObjectNode p = e.putObject("params");
    params.forEach(p::put);
    e.putObject("primaryMetric").put("score", 1000.0).put("scoreError", 10.0);
    e.putObject("secondaryMetrics");
    ArrayNode root = json.createArrayNode().add(e);
    Files.writeString(run.resolve("jmh.json"), json.writeValueAsString(root));
  }

  @Test
  void trialTotalsSurviveARoundTripWithStringsThatNeedEscaping() throws Exception {
    TrialTotals t =
        new TrialTotals(
            "keep-alive",
            16,
            13,
            2,
            10,
            "external \"http://h:1/a\\b\"\n\ttab, é, \u0001",
            100,
            98,
            2,
            4L,
            4L,
            100L,
            List.of(3L, 1L),
            1,
            0,
            "https",
            1L);
    Path file = run.resolve("x.trial.json");
    t.write(file);
    assertEquals(t, TrialTotals.read(file));
    JsonNode n = new ObjectMapper().readTree(file.toFile());
    assertEquals(t.placement(), n.get("placement").asText());
    assertEquals(3, n.get("maxConnectionsOpenPerListener").get(0).asLong());
    assertEquals(1, n.get("serverTlsFullHandshakes").asLong());

    TrialTotals external =
        new TrialTotals(
            "okhttp", 1, 13, 1, 0, "external", 5, 5, 0, null, null, null, null, 1, 0, "http", null);
    external.write(file);
    assertEquals(
        TrialTotals.UNKNOWN,
        new ObjectMapper().readTree(file.toFile()).get("serverConnections").asText(),
        "a count nothing measured is unknown, not absent or 0");
    assertEquals(external, TrialTotals.read(file));
  }
}
