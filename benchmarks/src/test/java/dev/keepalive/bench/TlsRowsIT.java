package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.agent.AgentStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The strategy rows over {@code scheme=https}, driven through the benchmark's own loads without
 * JMH, against the harness server serving TLS (in-process, so that no control connection adds a
 * handshake to its counts). Evidence from the server's side: its accepted connections, and its full
 * handshakes (a full handshake is the only kind that makes it choose its certificate, so
 * connections − full handshakes = resumed ones); the agent's own resumed counter agrees.
 */
class TlsRowsIT {

  private static final int SERIAL_REQUESTS = 30;

  /** What a trial of one row did, as both sides saw it. */
  private record Outcome(
      LoadCounts counts, TargetServer.Counts server, AgentStats agent, long elapsedNanos) {}

  private static Outcome runAgent(String row, int concurrency, int requests, long rttMillis)
      throws Exception {
    try (TargetServer server = TargetServer.start("inprocess", "", 1, "https");
        NetworkPath path =
            NetworkPath.start("inprocess", server.uris(), NetworkPath.Spec.rtt(rttMillis))) {
      AgentLoad load =
          new AgentLoad(
              Strategy.of(row),
              server.trust(),
              path.uris(),
              "/",
              concurrency,
              0,
              new PhaseHistograms());
      try {
        server.resetStats();
        long start = System.nanoTime();
        load.start();
        for (int i = 0; i < requests - concurrency; i++) {
          load.completeOne();
        }
        load.drain(30_000);
        long elapsed = System.nanoTime() - start;
        return new Outcome(load.counts(), server.stats(), load.agentStats(), elapsed);
      } finally {
        load.close();
      }
    }
  }

  @Test
  void serialKeepAliveUsesOneConnectionAndOneHandshake() throws Exception {
    Outcome o = runAgent(Strategy.KEEP_ALIVE, 1, SERIAL_REQUESTS, 0);
    assertEquals(0, o.counts().errors, o.counts().errorsByClass().toString());
    assertEquals(SERIAL_REQUESTS, o.counts().ok);
    assertEquals(1, o.server().connectionsAccepted(), "one connection for every request");
    assertEquals(SERIAL_REQUESTS, o.server().requests());
    assertEquals(1L, o.server().tlsFullHandshakes());
    assertEquals(SERIAL_REQUESTS - 1, o.counts().reused);
  }

  @Test
  void noAgentOpensOneConnectionPerRequestAndNeverResumes() throws Exception {
    Outcome o = runAgent(Strategy.NO_AGENT, 1, SERIAL_REQUESTS, 0);
    assertEquals(0, o.counts().errors, o.counts().errorsByClass().toString());
    assertEquals(SERIAL_REQUESTS, o.server().connectionsAccepted());
    assertEquals(
        (long) SERIAL_REQUESTS,
        o.server().tlsFullHandshakes(),
        "every connection a full handshake, as Node's agent: false (a new agent, an empty cache)");
    assertEquals(0, o.agent().tlsResumedCount());
    assertEquals(SERIAL_REQUESTS, o.agent().tlsHandshakeCount());
  }

  @Test
  void closeResumeOpensOneConnectionPerRequestAndResumesAllButTheFirst() throws Exception {
    Outcome o = runAgent(Strategy.CLOSE_RESUME, 1, SERIAL_REQUESTS, 0);
    assertEquals(0, o.counts().errors, o.counts().errorsByClass().toString());
    assertEquals(SERIAL_REQUESTS, o.server().connectionsAccepted(), "keepAlive false: no reuse");
    assertEquals(0, o.counts().reused);
    assertEquals(
        1L,
        o.server().tlsFullHandshakes(),
        "only the first connection shows the server its certificate; the rest resume");
    assertEquals(SERIAL_REQUESTS - 1, o.agent().tlsResumedCount(), "the client agrees");
  }

  @Test
  void everyPeerRowCompletesOverHttpsTrustingTheServersCertificate() throws Exception {
    int concurrency = 4;
    for (String row : List.of(Strategy.JDK_HTTPCLIENT, Strategy.APACHE_HC5, Strategy.OKHTTP)) {
      try (TargetServer server = TargetServer.start("inprocess", "", 1, "https")) {
        assertTrue(server.uri0().toString().startsWith("https://127.0.0.1:"), server.uri0() + "");
        ThreadedLoad load =
            new ThreadedLoad(
                PeerClient.create(Strategy.of(row), server.trust()),
                server.uris(),
                "/",
                concurrency,
                0,
                new PhaseHistograms());
        try {
          server.resetStats();
          load.start();
          for (int i = 0; i < 200; i++) {
            load.completeOne();
          }
          load.drain(30_000);
        } finally {
          load.close();
        }
        LoadCounts c = load.counts();
        assertEquals(0, c.errors, row + ": " + c.errorsByClass());
        assertEquals(c.issued, c.ok, row);
        TargetServer.Counts s = server.stats();
        assertTrue(
            s.connectionsAccepted() >= 1 && s.connectionsAccepted() <= concurrency,
            row + " reuses its connections: " + s);
        assertNotNull(s.tlsFullHandshakes(), row + ": the server served TLS");
        assertTrue(s.tlsFullHandshakes() >= 1, row + ": " + s);
      }
    }
  }

  @Test
  void httpsCrossesTheRelayAndANewConnectionCostsMoreRoundTripsThanAReusedOne() throws Exception {
    long rttMillis = 20;
    int requests = 8;
    Outcome reused = runAgent(Strategy.KEEP_ALIVE, 1, requests, rttMillis);
    Outcome fresh = runAgent(Strategy.NO_AGENT, 1, requests, rttMillis);
    for (Outcome o : List.of(reused, fresh)) {
      assertEquals(0, o.counts().errors, o.counts().errorsByClass().toString());
      assertEquals(requests, o.counts().ok);
    }
    assertEquals(1, reused.server().connectionsAccepted());
    assertEquals(requests, fresh.server().connectionsAccepted());
    long rttNanos = TimeUnit.MILLISECONDS.toNanos(rttMillis);
    // a reused request costs one round trip; a new TLS 1.3 connection at least two more than TCP's
    // (ClientHello → server Finished, then the request), the relay's connect being local
    assertTrue(reused.elapsedNanos() >= requests * rttNanos, "reused: " + reused.elapsedNanos());
    assertTrue(
        fresh.elapsedNanos() >= requests * 2 * rttNanos,
        "new connections: " + fresh.elapsedNanos());
    assertTrue(
        fresh.elapsedNanos() < 60L * requests * rttNanos,
        "loose upper bound: " + fresh.elapsedNanos());
  }

  @Test
  void rawSocketIsNotATlsRow() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Strategy.of(Strategy.RAW_SOCKET).requireScheme("https"));
    assertTrue(e.getMessage().contains("raw-socket") && e.getMessage().contains("https"), e + "");
    Strategy.of(Strategy.RAW_SOCKET).requireScheme("http");
    for (String row : Strategy.TLS_ROWS) {
      Strategy.of(row).requireScheme("https");
    }
  }

  @Test
  void aSchemeOtherThanHttpOrHttpsIsRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TargetServer.start("inprocess", "", 1, "ftp"));
    assertTrue(e.getMessage().contains("scheme") && e.getMessage().contains("'ftp'"), e + "");
  }
}
