package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.keepalive.report.SummaryTable;
import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A tiny version of the strategy matrix through JMH's own Runner (100 ms iterations, 1 fork, the
 * server in its own JVM), asserting on the results and on the server's counts.
 */
class StrategyBenchmarkIT {

  @TempDir static Path dir;
  static final Map<String, RunResult> results = new HashMap<>();
  static final int CONCURRENCY = 4;

  /** The row run with a server delay: its files carry the delay in their names. */
  static final String DELAYED = "keep-alive-fifo";

  static final int DELAY_MS = 2;

  /** The row run through the relay (in its own JVM): its files carry the RTT in their names. */
  static final String DISTANT = "max-sockets-3";

  static final int RTT_MS = 5;

  /** The row run in two forks, with application work between requests. */
  static final String FORKED = "max-sockets-5";

  static final int WORK = 50;

  /** Rows run against external targets: one that answers /stats, one that does not. */
  static final String EXTERNAL_COUNTED = "apache-hc5-fifo";

  static final String EXTERNAL_PEER = "apache-hc5-max-sockets-3";

  static final String EXTERNAL_AGENT = "max-sockets-6";

  static HarnessServer externalHarness;
  static HttpServer plainServer;

  /**
   * The row run over TLS, through the relay, the server in its own JVM; serially, so that each
   * connection finds the session ticket its predecessor received (JSSE's TLS 1.3 client uses a
   * ticket once: connections opened side by side can outrun the tickets and handshake in full).
   */
  static final String SECURE = "close-resume";

  @BeforeAll
  static void runMatrix() throws Exception {
    List<RunResult> all = new ArrayList<>();
    all.addAll(
        run(
            new String[] {
              "no-agent",
              "keep-alive",
              "max-sockets-2",
              "jdk-httpclient",
              "apache-hc5",
              "apache-hc5-max-sockets-2",
              "okhttp",
              "raw-socket"
            },
            "1",
            CONCURRENCY,
            0));
    all.addAll(run(new String[] {"max-total-2"}, "2", 8, 0));
    all.addAll(run(new String[] {DELAYED}, "1", CONCURRENCY, DELAY_MS));
    all.addAll(run(new String[] {DISTANT}, "1", CONCURRENCY, 0, RTT_MS));
    all.addAll(run(new String[] {FORKED}, "1", CONCURRENCY, 0, 0, 2, WORK, "", "http"));
    externalHarness = ServerOptions.builder().start();
    all.addAll(
        run(
            new String[] {EXTERNAL_COUNTED},
            "1",
            CONCURRENCY,
            0,
            0,
            1,
            0,
            externalHarness.uris().get(0).toString(),
            "http"));
    plainServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    plainServer.createContext(
        "/",
        exchange -> {
          byte[] body =
              "/".equals(exchange.getRequestURI().getPath())
                  ? "Hello, World!".getBytes(StandardCharsets.US_ASCII)
                  : new byte[0];
          exchange.sendResponseHeaders(
              body.length > 0 ? 200 : 404, body.length > 0 ? body.length : -1);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    plainServer.start();
    all.addAll(
        run(
            new String[] {EXTERNAL_PEER, EXTERNAL_AGENT},
            "1",
            CONCURRENCY,
            0,
            0,
            1,
            0,
            "http://127.0.0.1:" + plainServer.getAddress().getPort(),
            "http"));
    all.addAll(run(new String[] {SECURE}, "1", 1, 0, RTT_MS, 1, 0, "", "https"));
    for (RunResult r : all) {
      results.put(r.getParams().getParam("strategy"), r);
    }
    ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString())
        .writeOut(all);
  }

  private static Collection<RunResult> run(
      String[] strategies, String origins, int concurrency, int serverDelayMs) throws Exception {
    return run(strategies, origins, concurrency, serverDelayMs, 0);
  }

  @AfterAll
  static void stopTargets() {
    if (externalHarness != null) {
      externalHarness.close();
    }
    if (plainServer != null) {
      plainServer.stop(0);
    }
  }

  private static Collection<RunResult> run(
      String[] strategies, String origins, int concurrency, int serverDelayMs, int rttMs)
      throws Exception {
    return run(strategies, origins, concurrency, serverDelayMs, rttMs, 1, 0, "", "http");
  }

  private static Collection<RunResult> run(
      String[] strategies,
      String origins,
      int concurrency,
      int serverDelayMs,
      int rttMs,
      int forks,
      int work,
      String target,
      String scheme)
      throws Exception {
    return new Runner(
            new OptionsBuilder()
                .include(StrategyBenchmark.class.getName() + ".request")
                .param("strategy", strategies)
                .param("concurrency", String.valueOf(concurrency))
                .param("payload", "13")
                .param("origins", origins)
                .param("serverDelayMs", String.valueOf(serverDelayMs))
                .param("rttMs", String.valueOf(rttMs))
                .param("work", String.valueOf(work))
                .param("target", target)
                .param("scheme", scheme)
                .mode(Mode.Throughput)
                .forks(forks)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(2)
                .measurementTime(TimeValue.milliseconds(100))
                .jvmArgsAppend(
                    "-D" + StrategyBenchmark.RESULTS_PROPERTY + "=" + dir.toAbsolutePath())
                .shouldFailOnError(true)
                .build())
        .run();
  }

  private static long counter(String strategy, String name) {
    return (long) results.get(strategy).getSecondaryResults().get(name).getScore();
  }

  /** The files the trial of a strategy wrote, named from its JMH parameters as the writer did. */
  private static TrialFiles files(String strategy) {
    return TrialFiles.of(results.get(strategy).getParams());
  }

  private static JsonNode trial(String strategy, int concurrency, int origins) throws Exception {
    TrialFiles files = files(strategy);
    assertEquals(concurrency, files.concurrency());
    assertEquals(origins, files.origins());
    return new ObjectMapper().readTree(files.trialJson(dir.resolve("hdr")).toFile());
  }

  @Test
  void noAgentOpensOneConnectionPerRequest() throws Exception {
    long requests = counter("no-agent", "requests");
    long connections = counter("no-agent", "serverConnections");
    assertTrue(requests > 50, "requests " + requests);
    // iteration boundaries cut through requests in flight: at most `concurrency` per iteration
    assertTrue(
        Math.abs(connections - requests) <= 2L * CONCURRENCY,
        connections + " connections for " + requests);
    JsonNode t = trial("no-agent", CONCURRENCY, 1);
    assertEquals(
        t.get("issued").asLong(),
        t.get("serverConnections").asLong(),
        "one connection per request, whole trial");
    assertEquals(t.get("issued").asLong(), t.get("ok").asLong() + t.get("errors").asLong());
  }

  @Test
  void keepAliveOpensAtMostConcurrencyConnectionsForTheWholeTrial() throws Exception {
    JsonNode t = trial("keep-alive", CONCURRENCY, 1);
    assertTrue(t.get("serverConnections").asLong() <= CONCURRENCY, t.toString());
    assertEquals(t.get("clientConnections").asLong(), t.get("serverConnections").asLong());
    assertTrue(t.get("serverRequests").asLong() > 100, t.toString());
    assertEquals(
        0, counter("keep-alive", "serverConnections"), "no new connection in steady state");
    assertTrue(counter("keep-alive", "reusedRequests") > 0);
  }

  @Test
  void maxSocketsBoundsConnectionsPerOrigin() throws Exception {
    JsonNode t = trial("max-sockets-2", CONCURRENCY, 1);
    assertTrue(t.get("maxConnectionsOpenPerListener").get(0).asLong() <= 2, t.toString());
    assertTrue(t.get("serverConnections").asLong() <= 2, t.toString());
  }

  @Test
  void maxTotalBoundsOpenConnectionsAcrossOriginsWithNodesOvershootOfOne() throws Exception {
    JsonNode t = trial("max-total-2", 8, 2);
    long maxOpen = 0;
    for (JsonNode n : t.get("maxConnectionsOpenPerListener")) {
      maxOpen += n.asLong();
    }
    assertTrue(maxOpen <= 3, "at most 2 + 1 open at once: " + t);
    assertTrue(t.get("ok").asLong() > 0);
    assertEquals(t.get("issued").asLong(), t.get("ok").asLong() + t.get("errors").asLong());
  }

  @Test
  void peerRowsHaveServerCountedConnectionsWithinTheirBounds() throws Exception {
    for (String peer : List.of("jdk-httpclient", "apache-hc5", "okhttp", "raw-socket")) {
      JsonNode t = trial(peer, CONCURRENCY, 1);
      long conns = t.get("serverConnections").asLong();
      assertTrue(
          conns >= 1 && conns <= CONCURRENCY,
          peer + ": keep-alive peers stay within concurrency: " + t);
      assertTrue(counter(peer, "requests") > 0, peer);
      assertEquals(0, t.get("errors").asLong(), peer + ": " + t);
    }
    JsonNode bounded = trial("apache-hc5-max-sockets-2", CONCURRENCY, 1);
    assertTrue(
        bounded.get("maxConnectionsOpenPerListener").get(0).asLong() <= 2, bounded.toString());
    assertTrue(bounded.get("serverConnections").asLong() <= 2, bounded.toString());
  }

  @Test
  void histogramsAreWrittenAndParseBack() throws Exception {
    for (String s : results.keySet()) {
      TrialFiles files = files(s);
      String stem = files.stem();
      Path hgrm = files.hgrm(dir.resolve("hdr"));
      assertTrue(Files.readString(hgrm).contains("#[Mean"), hgrm + " is a percentile distribution");
      List<String> tags = new ArrayList<>();
      long total = 0;
      try (InputStream in = Files.newInputStream(files.hlog(dir.resolve("hdr")))) {
        HistogramLogReader reader = new HistogramLogReader(in);
        for (EncodableHistogram h = reader.nextIntervalHistogram();
            h != null;
            h = reader.nextIntervalHistogram()) {
          tags.add(h.getTag());
          if (h.getTag() == null) {
            total += ((org.HdrHistogram.Histogram) h).getTotalCount();
          }
        }
      }
      int forks = results.get(s).getBenchmarkResults().size();
      List<String> oneIteration = Arrays.asList(null, "queue", "connect", "response");
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 2 * forks; i++) {
        expected.addAll(oneIteration);
      }
      assertEquals(expected, tags, stem + ": per measurement iteration, total then phases");
      assertEquals(counter(s, "requests"), total, stem + ": every measured request, once");
    }
  }

  @Test
  void summaryTableHasEveryRow() throws Exception {
    List<SummaryTable.Row> rows = SummaryTable.read(dir.resolve("jmh.json"), dir.resolve("hdr"));
    String md = SummaryTable.markdown(rows);
    for (String s : results.keySet()) {
      assertTrue(md.contains("| " + s + " |"), s + " in\n" + md);
    }
    SummaryTable.Row noAgent =
        rows.stream().filter(r -> r.strategy().equals("no-agent")).findFirst().orElseThrow();
    assertTrue(
        noAgent.connectionsPer1000() > 900,
        "no-agent ≈ 1000 connections per 1k requests: " + noAgent);
    assertNotNull(md);
  }

  @Test
  void aTrialWithAServerDelayHasItsPercentilesInTheSummary() throws Exception {
    assertTrue(files(DELAYED).stem().contains("-d" + DELAY_MS + "-"), files(DELAYED).stem());
    SummaryTable.Row delayed =
        SummaryTable.read(dir.resolve("jmh.json"), dir.resolve("hdr")).stream()
            .filter(r -> r.strategy().equals(DELAYED))
            .findFirst()
            .orElseThrow();
    assertTrue(delayed.p50Micros() >= DELAY_MS * 1000, "p50 includes the delay: " + delayed);
  }

  @Test
  void throughTheRelayEveryRequestTakesAtLeastOneRoundTripAndCountsStillAgree() throws Exception {
    TrialFiles files = files(DISTANT);
    assertTrue(files.stem().contains("-r" + RTT_MS + "-"), files.stem());
    JsonNode t = trial(DISTANT, CONCURRENCY, 1);
    assertEquals(RTT_MS, t.get("rttMs").asInt(), t.toString());
    assertEquals(t.get("clientConnections").asLong(), t.get("serverConnections").asLong());
    assertTrue(t.get("serverConnections").asLong() <= 3, t.toString());
    assertEquals(0, t.get("errors").asLong(), t.toString());
    assertTrue(counter(DISTANT, "reusedRequests") > 0);
    org.HdrHistogram.Histogram total = TrialLog.sum(files.hlog(dir.resolve("hdr"))).get("total");
    assertNotNull(total);
    long rttNanos = RTT_MS * 1_000_000L;
    // compared bucket to bucket: the histogram keeps values to its precision, not to the ns
    assertTrue(
        total.getMinValue() >= total.lowestEquivalentValue(rttNanos),
        "fastest request " + total.getMinValue() + " ns, RTT " + rttNanos + " ns");
  }

  @Test
  void twoForksCountInEveryFileAndTheWorkIsInTheName() throws Exception {
    TrialFiles files = files(FORKED);
    assertEquals(WORK, files.work());
    assertTrue(files.stem().contains("-w" + WORK + "-"), files.stem());
    assertEquals(2, results.get(FORKED).getBenchmarkResults().size(), "two forks ran");
    long requests = counter(FORKED, "requests"); // JMH sums EVENTS counters over forks
    Matcher m =
        Pattern.compile("Total count\\s*=\\s*([0-9]+)")
            .matcher(Files.readString(files.hgrm(dir.resolve("hdr"))));
    assertTrue(m.find());
    assertEquals(requests, Long.parseLong(m.group(1)), "the .hgrm holds both forks' requests");
    JsonNode t = trial(FORKED, CONCURRENCY, 1);
    assertEquals(2, t.get("forks").asInt(), t.toString());
    assertEquals(t.get("issued").asLong(), t.get("ok").asLong() + t.get("errors").asLong());
    assertTrue(t.get("ok").asLong() >= requests, "whole trials, warmup included: " + t);
    assertTrue(t.get("serverConnections").asLong() <= 2 * 5, "at most 5 per fork: " + t);
  }

  @Test
  void anExternalHarnessServersStatsAreReadAndUsed() throws Exception {
    JsonNode t = trial(EXTERNAL_COUNTED, CONCURRENCY, 1);
    assertTrue(t.get("serverConnections").isNumber(), t.toString());
    long conns = t.get("serverConnections").asLong();
    assertTrue(conns >= 1 && conns <= CONCURRENCY, t.toString());
    assertTrue(t.get("serverRequests").asLong() >= t.get("ok").asLong(), t.toString());
    SummaryTable.Row row = row(EXTERNAL_COUNTED);
    assertTrue(row.connectionsCounted() && row.connectionsPer1000() < 100, row.toString());
  }

  @Test
  void aTargetWithoutStatsLeavesAPeersConnectionsUncountedNotZero() throws Exception {
    JsonNode peer = trial(EXTERNAL_PEER, CONCURRENCY, 1);
    assertEquals(TrialTotals.UNKNOWN, peer.get("clientConnections").asText(), peer.toString());
    assertEquals(TrialTotals.UNKNOWN, peer.get("serverConnections").asText(), peer.toString());
    assertTrue(peer.get("ok").asLong() > 0, peer.toString());
    SummaryTable.Row peerRow = row(EXTERNAL_PEER);
    assertFalse(peerRow.connectionsCounted(), peerRow.toString());
    String md = SummaryTable.markdown(List.of(peerRow));
    assertTrue(md.contains("| " + SummaryTable.NOT_COUNTED + " | " + SummaryTable.NOT_COUNTED), md);

    JsonNode agent = trial(EXTERNAL_AGENT, CONCURRENCY, 1);
    long conns = agent.get("clientConnections").asLong();
    assertTrue(conns >= 1 && conns <= 6, "our agent counts its own: " + agent);
    assertEquals(TrialTotals.UNKNOWN, agent.get("serverConnections").asText(), agent.toString());
    assertTrue(row(EXTERNAL_AGENT).connectionsCounted());
  }

  private static SummaryTable.Row row(String strategy) throws Exception {
    return SummaryTable.read(dir.resolve("jmh.json"), dir.resolve("hdr")).stream()
        .filter(r -> r.strategy().equals(strategy))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void overHttpsThroughTheRelayCloseResumeOpensAConnectionPerRequestAndResumesThem()
      throws Exception {
    TrialFiles files = files(SECURE);
    assertTrue(files.stem().endsWith("-r" + RTT_MS + "-https-thrpt"), files.stem());
    JsonNode t = trial(SECURE, 1, 1);
    assertEquals("https", t.get("scheme").asText(), t.toString());
    assertEquals(0, t.get("errors").asLong(), t.toString());
    assertEquals(t.get("issued").asLong(), t.get("ok").asLong());
    long connections = t.get("serverConnections").asLong();
    assertEquals(t.get("issued").asLong(), connections, "keepAlive false: one per request");
    assertTrue(connections >= 3, t.toString());
    // the server chose its certificate (a full handshake) for the first connection only, and at
    // most once more for the trial's own control requests (their handshakes resume each other's)
    long full = t.get("serverTlsFullHandshakes").asLong();
    assertTrue(full >= 1 && full <= 2, "full handshakes " + full + ": " + t);
    SummaryTable.Row row =
        SummaryTable.read(dir.resolve("jmh.json"), dir.resolve("hdr")).stream()
            .filter(r -> r.strategy().equals(SECURE))
            .findFirst()
            .orElseThrow();
    assertTrue(row.workload().endsWith(", HTTPS"), row.workload());
  }
}
