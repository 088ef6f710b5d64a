package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request that stops arriving ends within the request-read timeout, with a 408 when a response is
 * still possible, and shows in the stats: before, half a head or half a body held a connection
 * forever, and a connection that had not completed a request was in no counter.
 */
class RequestReadTimeoutIT {

  private static final int TIMEOUT_MILLIS = 400;

  private HarnessServer server;
  private final LogRecorder log = new LogRecorder();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    log.close();
    assertEquals(List.of(), log.lines(), "nothing on stderr");
  }

  private HarnessServer start(long requestReadTimeoutMillis) {
    server =
        ServerOptions.builder()
            .idleTimeoutMillis(10_000)
            .requestReadTimeoutMillis(requestReadTimeoutMillis)
            .start();
    return server;
  }

  @Test
  void halfAHeadIsAnswered408WithinTheTimeoutAndCountedAsUnserved() throws Exception {
    start(TIMEOUT_MILLIS);
    try (RawConnection c = new RawConnection(server.port())) {
      long start = System.nanoTime();
      c.sendRaw("GET / HTTP/1.1\r\nHost: {host}\r\n");
      ServerStats waiting = Await.stats(server, s -> s.total().connectionsOpenUnserved() == 1);
      assertEquals(1, waiting.total().connectionsOpenUnserved(), "the half request is visible");
      assertEquals(0, waiting.connectionsAccepted(), "and not yet a counted connection");

      RawConnection.Response r = c.read();
      long elapsed = Await.millisSince(start);
      assertEquals(408, r.status());
      assertEquals("close", r.header("Connection"));
      assertEquals("the request head did not arrive within 400 ms\n", r.text());
      assertTrue(c.eofWithin(2000), "closed after the 408");
      assertTrue(elapsed >= TIMEOUT_MILLIS && elapsed < 4000, "408 after " + elapsed + " ms");
    }
    ServerStats s = Await.stats(server, x -> x.total().connectionsClosedUnserved() == 1);
    assertEquals(1, s.total().requestReadTimeouts());
    assertEquals(1, s.total().connectionsClosedUnserved());
    assertEquals(0, s.total().connectionsOpenUnserved());
    assertEquals(0, s.requests(), "no request reached the routes");
  }

  @Test
  void aHeadTrickledLineByLineIsCutAtTheTimeoutFromItsFirstByte() throws Exception {
    start(TIMEOUT_MILLIS);
    try (RawConnection c = new RawConnection(server.port())) {
      long start = System.nanoTime();
      c.sendRaw("GET / HTTP/1.1\r\nHost: {host}\r\n");
      Thread trickle =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 30; i++) {
                    Thread.sleep(100);
                    c.sendRaw("X-Slow-" + i + ": still coming\r\n");
                  }
                } catch (IOException e) {
                  // the server closed the connection: what the test waits for
                } catch (InterruptedException e) {
                  // the 408 arrived: stop trickling
                }
              });
      trickle.start();
      RawConnection.Response r = c.read();
      long elapsed = Await.millisSince(start);
      trickle.interrupt();
      trickle.join();
      assertEquals(408, r.status(), "a steady trickle does not keep a head alive");
      assertTrue(elapsed >= TIMEOUT_MILLIS && elapsed < 2500, "408 after " + elapsed + " ms");
    }
    ServerStats s = Await.stats(server, x -> x.total().requestReadTimeouts() == 1);
    assertEquals(1, s.total().requestReadTimeouts());
  }

  @Test
  void aBodyThatStopsIsAnswered408AndTheConnectionClosed() throws Exception {
    start(TIMEOUT_MILLIS);
    try (RawConnection c = new RawConnection(server.port())) {
      assertEquals(200, c.get("/").status(), "a first request, so the connection is counted");
      long start = System.nanoTime();
      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: 10\r\n\r\nabc");
      RawConnection.Response r = c.read();
      long elapsed = Await.millisSince(start);
      assertEquals(408, r.status());
      assertEquals("the request body stopped arriving for 400 ms\n", r.text());
      assertEquals(2, r.connectionRequests());
      assertTrue(c.eofWithin(2000), "closed after the 408");
      assertTrue(elapsed >= TIMEOUT_MILLIS && elapsed < 4000, "408 after " + elapsed + " ms");
    }
    ServerStats s = Await.stats(server, x -> x.total().connectionsClosed() == 1);
    assertEquals(1, s.total().requestReadTimeouts());
    assertEquals(0, s.total().connectionsClosedUnserved(), "it was served before");
    assertEquals(1, s.total().connectionsClosed());
  }

  @Test
  void aBodyThatStopsAfterTheResponseClosesTheConnection() throws Exception {
    start(TIMEOUT_MILLIS);
    try (RawConnection c = new RawConnection(server.port())) {
      // GET / answers at once; the 10-byte body it announced never comes
      c.sendRaw("GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 10\r\n\r\nabc");
      assertEquals(200, c.read().status());
      long start = System.nanoTime();
      assertTrue(c.eofWithin(4000), "closed: a response is no longer possible");
      long elapsed = Await.millisSince(start);
      assertTrue(elapsed < 4000, "closed after " + elapsed + " ms");
    }
    ServerStats s = Await.stats(server, x -> x.total().requestReadTimeouts() == 1);
    assertEquals(1, s.total().requestReadTimeouts());
  }

  @Test
  void zeroWaitsForever() throws Exception {
    start(0);
    try (RawConnection c = new RawConnection(server.port())) {
      c.sendRaw("GET / HTTP/1.1\r\nHost: {host}\r\n");
      assertFalse(c.eofWithin(800), "still open");
      c.sendRaw("\r\n");
      assertEquals(200, c.read().status(), "and the request completes");
    }
  }

  @Test
  void aConnectionThatSendsNothingIsSeenThenClosedByTheIdleTimeoutNotTheReadTimeout()
      throws Exception {
    server =
        ServerOptions.builder().idleTimeoutMillis(300).requestReadTimeoutMillis(10_000).start();
    try (RawConnection c = new RawConnection(server.port())) {
      assertEquals(
          1,
          Await.stats(server, s -> s.total().connectionsOpenUnserved() == 1)
              .total()
              .connectionsOpenUnserved());
      assertTrue(c.eofWithin(3000), "closed as idle");
    }
    ServerStats s = Await.stats(server, x -> x.total().connectionsClosedUnserved() == 1);
    assertEquals(1, s.total().connectionsClosedUnserved());
    assertEquals(0, s.total().requestReadTimeouts());
  }
}
