package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection with a request arriving, or waiting unread, is never idle. The reported failure:
 * with one IO thread and the 5 s idle timeout, one of four concurrent 60 MB uploads was reset with
 * no response. The IO thread was busy (the old echo copied each body byte by byte, about 1.5 s per
 * 60 MB), and Undertow's idle timer, which runs on that thread before it reads, closed a connection
 * whose request had been waiting in its socket since before the deadline.
 */
class IdleWhileReceivingIT {

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

  @Test
  void aBodyTrickledForLongerThanTheIdleTimeoutIsServed() throws Exception {
    server =
        ServerOptions.builder()
            .ioThreads(1)
            .idleTimeoutMillis(200)
            .requestReadTimeoutMillis(1000)
            .start();
    try (RawConnection c = new RawConnection(server.port())) {
      assertEquals(200, c.get("/").status());
      long start = System.nanoTime();
      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: 8\r\n\r\n");
      for (char piece : "trickled".toCharArray()) {
        Thread.sleep(120);
        c.sendRaw(String.valueOf(piece));
      }
      RawConnection.Response r = c.read();
      long elapsed = Await.millisSince(start);
      assertEquals(200, r.status());
      assertEquals("trickled", r.text());
      assertTrue(elapsed >= 8 * 120, "the body took " + elapsed + " ms, over 4 idle timeouts");
    }
  }

  @Test
  void aRequestWaitingBehindABusyIoThreadIsServedNotReset() throws Exception {
    server = ServerOptions.builder().ioThreads(1).idleTimeoutMillis(300).start();
    try (RawConnection c = new RawConnection(server.port())) {
      assertEquals(
          1,
          Await.stats(server, s -> s.total().connectionsOpenUnserved() == 1)
              .total()
              .connectionsOpenUnserved(),
          "accepted: its idle timer runs");
      CountDownLatch busy = new CountDownLatch(1);
      server.executeOnIoThread(
          () -> {
            busy.countDown();
            sleepUninterruptibly(900);
          });
      assertTrue(busy.await(5, TimeUnit.SECONDS));
      // the request arrives well inside the idle timeout, but the IO thread reads it only
      // after the timeout has passed
      c.send("GET", "/");
      RawConnection.Response r = c.read();
      assertEquals(200, r.status());
      assertEquals(c.localPort(), r.clientPort());
    }
    ServerStats s = Await.stats(server, x -> x.total().connectionsClosed() == 1);
    assertEquals(1, s.connectionsAccepted());
    assertEquals(0, s.total().connectionsClosedUnserved());
  }

  @Test
  void aKeptAliveConnectionsNextRequestWaitingBehindABusyIoThreadIsServed() throws Exception {
    server = ServerOptions.builder().ioThreads(1).idleTimeoutMillis(300).start();
    try (RawConnection c = new RawConnection(server.port())) {
      assertEquals(1, c.get("/").connectionRequests());
      CountDownLatch busy = new CountDownLatch(1);
      server.executeOnIoThread(
          () -> {
            busy.countDown();
            sleepUninterruptibly(900);
          });
      assertTrue(busy.await(5, TimeUnit.SECONDS));
      c.send("GET", "/");
      assertEquals(2, c.read().connectionRequests(), "the same connection, not a reset");
    }
  }

  private static void sleepUninterruptibly(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = millis;
        left > 0;
        left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
