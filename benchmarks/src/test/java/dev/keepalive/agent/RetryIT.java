package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The stale keep-alive race, made deterministic: the first connection answers one request and then
 * closes on the next without a byte (what a server's idle close looks like when the request crosses
 * it); later connections serve normally.
 */
class RetryIT {

  /** Serves one request, then closes on the second without answering. */
  static final RawServer.Script STALE_AFTER_ONE =
      (s, in) -> {
        RawServer.readHead(in);
        RawServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        RawServer.readHead(in);
      };

  private static Agent agent(boolean retry) {
    return Agent.create(AgentOptions.builder().keepAlive(true).retryOnStaleSocket(retry).build());
  }

  @Test
  void withoutRetryTheRaceIsASocketHangUpOnAReusedSocket() throws Exception {
    try (RawServer server = new RawServer(STALE_AFTER_ONE, RawServer.SERVE);
        Agent a = agent(false)) {
      a.send(Request.builder(server.uri("/")).build());
      AgentException e =
          HostileServerIT.failure(a.request(Request.builder(server.uri("/")).build()));
      assertEquals(ErrorClass.CLOSED_EARLY, e.errorClass());
      assertTrue(e.reusedSocket());
      assertEquals(0, a.stats().retryCount());
    }
  }

  @Test
  void safeRetrySendsAnIdempotentRequestOnceMoreOnAFreshConnection() throws Exception {
    try (RawServer server = new RawServer(STALE_AFTER_ONE, RawServer.SERVE);
        Agent a = agent(true)) {
      Response first = a.send(Request.builder(server.uri("/")).build());
      Response second = a.send(Request.builder(server.uri("/")).build());
      assertEquals(200, second.status());
      assertFalse(second.reusedSocket(), "served by the new connection");
      assertTrue(second.localPort() != first.localPort());
      assertEquals(2, server.accepted.get(), "the server saw a second connection");
      assertEquals(1, a.stats().retryCount());
    }
  }

  @Test
  void aPostIsNotRetriedUnlessMarkedIdempotent() throws Exception {
    try (RawServer server = new RawServer(STALE_AFTER_ONE, RawServer.SERVE);
        Agent a = agent(true)) {
      a.send(Request.builder(server.uri("/")).build());
      AgentException e =
          HostileServerIT.failure(
              a.request(
                  Request.builder(server.uri("/")).method("POST").body(new byte[] {1}).build()));
      assertEquals(ErrorClass.CLOSED_EARLY, e.errorClass());
      assertEquals(0, a.stats().retryCount());
    }
    try (RawServer server = new RawServer(STALE_AFTER_ONE, RawServer.SERVE);
        Agent a = agent(true)) {
      a.send(Request.builder(server.uri("/")).build());
      Response r =
          a.send(
              Request.builder(server.uri("/"))
                  .method("POST")
                  .body(new byte[] {1})
                  .idempotent(true)
                  .build());
      assertEquals(200, r.status());
      assertEquals(1, a.stats().retryCount());
    }
  }

  @Test
  void neverRetriedOnceTheResponseStarted() throws Exception {
    RawServer.Script startedThenClosed =
        (Socket s, java.io.InputStream in) -> {
          RawServer.readHead(in);
          RawServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
          RawServer.readHead(in);
          RawServer.write(s, "HTTP/1.1 200 OK\r\nContent-Le");
        };
    try (RawServer server = new RawServer(startedThenClosed, RawServer.SERVE);
        Agent a = agent(true)) {
      a.send(Request.builder(server.uri("/")).build());
      AgentException e =
          HostileServerIT.failure(a.request(Request.builder(server.uri("/")).build()));
      assertEquals(ErrorClass.CLOSED_EARLY, e.errorClass());
      assertEquals(0, a.stats().retryCount());
      assertEquals(1, server.accepted.get(), "nothing was sent again");
    }
  }

  @Test
  void aFreshSocketThatFailsIsNotRetried() throws Exception {
    RawServer.Script drop = (s, in) -> RawServer.readHead(in);
    try (RawServer server = new RawServer(drop, RawServer.SERVE);
        Agent a = agent(true)) {
      AgentException e =
          HostileServerIT.failure(a.request(Request.builder(server.uri("/")).build()));
      assertEquals(ErrorClass.CLOSED_EARLY, e.errorClass());
      assertFalse(e.reusedSocket());
      assertEquals(0, a.stats().retryCount());
    }
  }
}
