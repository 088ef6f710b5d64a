package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile servers speaking raw bytes. For each: the expected error class, no hang past the request
 * deadline, the connection never reused afterwards (the next request opens a new one), the agent's
 * socket count back to zero, and no socket file descriptor left open.
 */
class HostileServerIT {

  private static final long DEADLINE_MILLIS = 1500;
  private long socketsBefore;

  @BeforeEach
  void countSockets() {
    socketsBefore = SocketFds.count();
  }

  @AfterEach
  void noSocketLeaks() throws InterruptedException {
    if (socketsBefore >= 0) {
      long after = SocketFds.awaitAtMost(socketsBefore);
      assertTrue(
          after <= socketsBefore, "socket fds: " + socketsBefore + " before, " + after + " after");
    }
  }

  private static RawServer.Script respond(String raw) {
    return (s, in) -> {
      RawServer.readHead(in);
      RawServer.write(s, raw);
    };
  }

  private static RawServer.Script respondThenClose(String raw) {
    return (s, in) -> {
      RawServer.readHead(in);
      RawServer.write(s, raw);
      s.shutdownOutput();
      Thread.sleep(200);
    };
  }

  static Stream<Arguments> hostile() {
    String big = "X-Big: " + "a".repeat(20_000) + "\r\n";
    return Stream.of(
        Arguments.of(
            "truncated body",
            respondThenClose("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
            ErrorClass.CLOSED_EARLY),
        Arguments.of(
            "bad status line",
            respond("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n"),
            ErrorClass.MALFORMED),
        Arguments.of(
            "invalid chunk size",
            respond(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
            ErrorClass.MALFORMED),
        Arguments.of(
            "overflowing chunk size",
            respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n"),
            ErrorClass.MALFORMED),
        Arguments.of(
            "conflicting Content-Length",
            respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"),
            ErrorClass.MALFORMED),
        Arguments.of(
            "NUL in a header",
            respond("HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 2\r\n\r\nok"),
            ErrorClass.MALFORMED),
        Arguments.of(
            "space before colon",
            respond("HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok"),
            ErrorClass.MALFORMED),
        Arguments.of(
            "oversized header section",
            respond("HTTP/1.1 200 OK\r\n" + big + "Content-Length: 2\r\n\r\nok"),
            ErrorClass.TOO_LARGE),
        Arguments.of(
            "one byte every 200 ms",
            (RawServer.Script)
                (s, in) -> {
                  RawServer.readHead(in);
                  for (char c : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".toCharArray()) {
                    s.getOutputStream().write(c);
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                  }
                },
            ErrorClass.TIMEOUT),
        Arguments.of(
            "never answers",
            (RawServer.Script)
                (s, in) -> {
                  RawServer.readHead(in);
                  Thread.sleep(5_000);
                },
            ErrorClass.TIMEOUT),
        Arguments.of(
            "RST mid-body",
            (RawServer.Script)
                (s, in) -> {
                  RawServer.readHead(in);
                  RawServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf");
                  Thread.sleep(100);
                  s.setSoLinger(true, 0); // close() now sends RST
                },
            ErrorClass.RESET));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("hostile")
  void hostileResponsesAreClassifiedAndTheConnectionIsNeverReused(
      String name, RawServer.Script script, ErrorClass expected) throws Exception {
    try (RawServer server = new RawServer(script, RawServer.SERVE);
        Agent agent = Agent.create(AgentOptions.builder().keepAlive(true).build())) {
      long start = System.nanoTime();
      CompletableFuture<Response> f =
          agent.request(Request.builder(server.uri("/")).timeoutMillis(DEADLINE_MILLIS).build());
      AgentException e = failure(f);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(expected, e.errorClass(), name + ": " + e.getMessage());
      assertTrue(millis < DEADLINE_MILLIS + 1000, name + " ended after " + millis + " ms");
      AgentStats st = awaitNoOpenSockets(agent);
      assertEquals(0, st.openSockets(), name + ": " + st);
      Response next =
          agent.send(Request.builder(server.uri("/")).timeoutMillis(DEADLINE_MILLIS).build());
      assertFalse(next.reusedSocket(), name);
      assertEquals(2, server.accepted.get(), name + ": the next request needed a new connection");
      assertNotEquals(server.clientPorts.get(0), server.clientPorts.get(1));
    }
  }

  @Test
  void contentLengthWithTransferEncodingIsDecodedButTheConnectionIsNeverReused() throws Exception {
    try (RawServer server =
            new RawServer(
                respond(
                    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                RawServer.SERVE);
        Agent agent = Agent.create(AgentOptions.builder().keepAlive(true).build())) {
      Response r =
          agent.send(Request.builder(server.uri("/")).timeoutMillis(DEADLINE_MILLIS).build());
      assertEquals("ok", new String(r.body()));
      assertEquals(0, awaitNoOpenSockets(agent).openSockets(), "not pooled");
      agent.send(Request.builder(server.uri("/")).timeoutMillis(DEADLINE_MILLIS).build());
      assertEquals(2, server.accepted.get());
    }
  }

  static AgentStats awaitNoOpenSockets(Agent agent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    AgentStats st = agent.stats();
    while (st.openSockets() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
      st = agent.stats();
    }
    return st;
  }

  static AgentException failure(CompletableFuture<Response> f) throws Exception {
    return AgentIT.failure(f);
  }
}
