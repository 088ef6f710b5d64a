package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * What changes with {@code nodeVersion}, and the free-socket guard kept on every line, proved from
 * the server's side (connections accepted, client ports) without Node. {@code NodeConformanceIT}
 * compares the same decisions with the real Node lines.
 */
class NodeLineIT {

  private static RawServer.Script answering(String headers) {
    return (s, in) -> {
      while (RawServer.readHead(in)) {
        RawServer.write(s, "HTTP/1.1 200 OK\r\n" + headers + "Content-Length: 2\r\n\r\nok");
      }
    };
  }

  /** Two requests 30 ms apart; the number of connections the server accepted for them. */
  private static int connectionsFor(AgentOptions options, RawServer.Script script, long pauseMillis)
      throws Exception {
    try (RawServer raw = new RawServer(script);
        Agent a = Agent.create(options)) {
      Response first = a.send(Request.builder(raw.uri("/")).build());
      Thread.sleep(pauseMillis);
      Response second = a.send(Request.builder(raw.uri("/")).build());
      assertEquals(second.reusedSocket(), first.localPort() == second.localPort());
      return raw.accepted.get();
    }
  }

  @Test
  void aOneSecondHintPoolsTheSocketOnlyWhenTheBufferLeavesSomething() throws Exception {
    RawServer.Script hintOne = answering("Keep-Alive: timeout=1\r\n");
    AgentOptions.Builder ka = AgentOptions.builder().keepAlive(true);
    assertEquals(2, connectionsFor(ka.build(), hintOne, 30), "1000 - 1000 leaves nothing");
    assertEquals(
        2,
        connectionsFor(ka.nodeVersion(NodeVersion.V20).build(), hintOne, 30),
        "Node 20: the buffer is 1000 ms");
    assertEquals(
        1,
        connectionsFor(
            ka.nodeVersion(NodeVersion.V22).agentKeepAliveTimeoutBufferMillis(0L).build(),
            hintOne,
            30),
        "22+: buffer 0 leaves 1000 ms");
    assertEquals(
        1,
        connectionsFor(ka.agentKeepAliveTimeoutBufferMillis(500L).build(), hintOne, 30),
        "buffer 500 leaves 500 ms");
  }

  @Test
  void theBufferShortensAnAgentTimeoutThroughTheHint() throws Exception {
    RawServer.Script hintTwo = answering("Keep-Alive: timeout=2\r\n");
    AgentOptions.Builder global = AgentOptions.builder().globalAgent();
    assertEquals(
        1, connectionsFor(global.build(), hintTwo, 700), "2000 - 1000 ms: still pooled at 700");
    assertEquals(
        2,
        connectionsFor(global.agentKeepAliveTimeoutBufferMillis(1600L).build(), hintTwo, 700),
        "2000 - 1600 ms: expired at 700");
  }

  @Test
  void withoutAnAgentTimeoutALongHintIsIgnored() throws Exception {
    RawServer.Script hintTwo = answering("Keep-Alive: timeout=2\r\n");
    AgentOptions.Builder ka = AgentOptions.builder().keepAlive(true);
    assertEquals(
        1,
        connectionsFor(ka.agentKeepAliveTimeoutBufferMillis(1600L).build(), hintTwo, 700),
        "no agent timeout: the 400 ms the hint leaves are not applied");
  }

  /**
   * The server sends a stray response 20 ms after the real one, while the client's callback keeps
   * the loop busy for 250 ms: when the socket is released the bytes wait unread. The queued request
   * must get a new connection and the right response.
   */
  @Test
  void aSocketReleasedWithBytesPendingIsNotHandedToTheQueue() throws Exception {
    for (NodeVersion v : NodeVersion.values()) {
      AgentOptions options =
          AgentOptions.builder().keepAlive(true).maxSockets(1).nodeVersion(v).build();
      try (RawServer raw = new RawServer(poisoning(), RawServer.SERVE);
          Agent a = Agent.create(options)) {
        List<String> bodies = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        BiConsumer<Response, AgentException> busy =
            (r, e) -> {
              bodies.add(e == null ? new String(r.body()) : e.errorClass().toString());
              spin(250);
              done.countDown();
            };
        BiConsumer<Response, AgentException> record =
            (r, e) -> {
              bodies.add(e == null ? new String(r.body()) : e.errorClass().toString());
              done.countDown();
            };
        a.requestAll(
            List.of(Request.builder(raw.uri("/")).build(), Request.builder(raw.uri("/")).build()),
            List.of(busy, record));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("ok", "ok"), bodies, "nodeVersion " + v);
        assertEquals(2, raw.accepted.get(), "nodeVersion " + v + ": a new connection");
        assertEquals(1, a.stats().errorSocketCount(), "the pending bytes count as a socket error");
      }
    }
  }

  /**
   * The same stray response with no request queued: the socket is pooled, and whichever comes first
   * — the loop's next read or the pending-read check of the next pool hit — drops it.
   */
  @Test
  void aFreeSocketWithBytesPendingIsNotReused() throws Exception {
    try (RawServer raw = new RawServer(poisoning(), RawServer.SERVE);
        Agent a = Agent.create(AgentOptions.builder().keepAlive(true).build())) {
      CountDownLatch done = new CountDownLatch(1);
      a.request(
          Request.builder(raw.uri("/")).build(),
          (r, e) -> {
            spin(250);
            done.countDown();
          });
      assertTrue(done.await(10, TimeUnit.SECONDS));
      Response second = a.send(Request.builder(raw.uri("/")).build());
      assertEquals("ok", new String(second.body()));
      assertFalse(second.reusedSocket());
      assertEquals(2, raw.accepted.get());
    }
  }

  /** Answers, then sends a stray response 20 ms later: bytes nobody asked for. */
  private static RawServer.Script poisoning() {
    return (s, in) -> {
      RawServer.readHead(in);
      RawServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      Thread.sleep(20);
      RawServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray");
      Thread.sleep(2000);
    };
  }

  /** Application work on the loop, as in a Node callback. */
  private static void spin(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }
}
