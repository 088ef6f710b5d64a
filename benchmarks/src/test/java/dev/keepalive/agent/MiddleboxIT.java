package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.net.IdleClose;
import dev.keepalive.net.Relay;
import dev.keepalive.net.RelayOptions;
import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent behind a middlebox (the relay) that ends idle flows, seen as Node's agent sees it:
 * after a {@code fin} or {@code rst} idle close the pooled socket is dropped quietly and the next
 * request opens a new connection; after a {@code silent} one the pooled socket looks alive, and the
 * next request on it fails with {@code reset} on a reused socket — unless the agent retries
 * idempotent requests ({@code retryOnStaleSocket}). The server's own idle timeout (5 s, Node's
 * default) is far longer than the middlebox's (200 ms), so the middlebox always acts first.
 */
class MiddleboxIT {
  private static final long RTT_MILLIS = 10;
  private static final long MIDDLEBOX_IDLE_MILLIS = 200;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private long socketsBefore;
  private HarnessServer server;
  private Relay relay;

  @BeforeEach
  void countSockets() {
    socketsBefore = SocketFds.count();
  }

  @AfterEach
  void closeAllAndCheckNoSocketLeft() throws Exception {
    Collections.reverse(closeables);
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (socketsBefore >= 0) {
      long after = SocketFds.awaitAtMost(socketsBefore);
      assertTrue(
          after <= socketsBefore, "sockets: " + socketsBefore + " before, " + after + " after");
    }
  }

  private void start(IdleClose idleClose, long rttMillis) {
    server = ServerOptions.builder().idleTimeoutMillis(5_000).start();
    closeables.add(server);
    relay =
        RelayOptions.builder()
            .to("127.0.0.1", server.port())
            .rttMillis(rttMillis)
            .idleCloseMillis(MIDDLEBOX_IDLE_MILLIS)
            .idleClose(idleClose)
            .start();
    closeables.add(relay);
  }

  private Agent agent(AgentOptions.Builder options) {
    Agent a = Agent.create(options.build());
    closeables.add(a);
    return a;
  }

  private Request get() {
    return Request.builder(relay.uri()).timeoutMillis(10_000).build();
  }

  /** Waits up to 5 s for the agent's stats to satisfy {@code condition}. */
  private static AgentStats await(Agent a, Predicate<AgentStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    AgentStats s = a.stats();
    while (!condition.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      s = a.stats();
    }
    return s;
  }

  /** The pooled socket is closed by the middlebox: the next request must not notice. */
  private void droppedQuietly(IdleClose kind) throws Exception {
    start(kind, RTT_MILLIS);
    Agent a = agent(AgentOptions.builder().keepAlive(true));
    Response first = a.send(get());
    assertEquals(1, a.stats().openSockets(), "pooled");
    AgentStats after = await(a, s -> s.openSockets() == 0);
    assertEquals(0, after.openSockets(), "the agent dropped the socket the middlebox closed");
    assertEquals(1, relay.stats().idleCloses().of(kind));
    Response second = a.send(get());
    assertEquals(200, second.status());
    assertFalse(second.reusedSocket());
    assertNotEquals(first.localPort(), second.localPort());
    assertEquals(2, server.stats().connectionsAccepted());
  }

  @Test
  void finIdleCloseDropsThePooledSocketQuietly() throws Exception {
    droppedQuietly(IdleClose.FIN);
  }

  @Test
  void rstIdleCloseDropsThePooledSocketQuietly() throws Exception {
    droppedQuietly(IdleClose.RST);
  }

  @Test
  void silentIdleCloseFailsTheNextRequestWithResetOnAReusedSocket() throws Exception {
    start(IdleClose.SILENT, RTT_MILLIS);
    Agent a = agent(AgentOptions.builder().keepAlive(true));
    a.send(get());
    Thread.sleep(MIDDLEBOX_IDLE_MILLIS + 200);
    assertEquals(1, relay.stats().idleCloses().silent());
    assertEquals(1, a.stats().openSockets(), "nothing told the agent: the socket is still pooled");
    AgentException e = AgentIT.failure(a.request(get()));
    assertEquals(ErrorClass.RESET, e.errorClass());
    assertTrue(e.reusedSocket());
    assertEquals(1, relay.stats().forgottenFlowResets());
    assertEquals(1, server.stats().connectionsAccepted(), "the request never reached the server");
  }

  @Test
  void safeRetrySucceedsAfterASilentIdleClose() throws Exception {
    start(IdleClose.SILENT, RTT_MILLIS);
    Agent a = agent(AgentOptions.builder().keepAlive(true).retryOnStaleSocket(true));
    Response first = a.send(get());
    Thread.sleep(MIDDLEBOX_IDLE_MILLIS + 200);
    Response second = a.send(get());
    assertEquals(200, second.status());
    assertFalse(second.reusedSocket(), "served by a new connection");
    assertNotEquals(first.localPort(), second.localPort());
    assertEquals(1, a.stats().retryCount());
    assertEquals(1, relay.stats().forgottenFlowResets());
    assertEquals(2, server.stats().connectionsAccepted());
  }

  /**
   * The relay accepts at once, so the agent's {@code connect} phase is not delayed; the handshake's
   * round trip shows in {@code response} instead: at least 2 RTT on a fresh connection, 1 RTT on a
   * reused one.
   */
  @Test
  void theHandshakeRoundTripShowsInResponseNotInConnect() throws Exception {
    long rtt = 40;
    start(IdleClose.FIN, rtt);
    Agent a = agent(AgentOptions.builder().keepAlive(true));
    Timings fresh = a.send(get()).timings();
    assertTrue(fresh.newConnection());
    assertTrue(fresh.connect() < rtt, "connect " + fresh.connect() + " ms");
    assertTrue(fresh.response() >= 2 * rtt, "fresh response " + fresh.response() + " ms");
    assertTrue(fresh.response() < 2 * rtt + 500, "fresh response " + fresh.response() + " ms");
    Response again = a.send(get());
    assertTrue(again.reusedSocket());
    Timings reused = again.timings();
    assertTrue(reused.response() >= rtt, "reused response " + reused.response() + " ms");
    assertTrue(reused.response() < rtt + 300, "reused response " + reused.response() + " ms");
  }
}
