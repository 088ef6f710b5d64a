package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /echo} is bounded: a body over 64 MiB is 413 with a reason (a chunked one used to get a
 * reset and a stack trace on stderr), uploads over the memory budget are 503 with a reason (six 60
 * MB uploads at -Xmx256m used to end in an OutOfMemoryError), and the client reads the answer, not
 * a reset. Nothing is logged at WARNING or above.
 */
class EchoLimitsIT {

  private static final long CAP = HarnessServer.MAX_BODY_BYTES;

  private HarnessServer server;
  private LogRecorder log;

  @BeforeEach
  void recordLogs() {
    log = new LogRecorder();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    log.close();
    assertEquals(List.of(), log.lines(), "nothing on stderr");
  }

  /** Writes {@code body} on a thread of its own, so the test reads the answer meanwhile. */
  private static CompletableFuture<Void> writeInBackground(OutputStream out, Body body) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            body.writeTo(out);
            out.flush();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void zeros(OutputStream out, long n) throws IOException {
    byte[] block = new byte[64 * 1024];
    for (long sent = 0; sent < n; sent += block.length) {
      out.write(block, 0, (int) Math.min(block.length, n - sent));
    }
  }

  @Test
  void aDeclaredBodyOverTheCapIs413AndTheConnectionGoesOnAfterIt() throws Exception {
    server = ServerOptions.builder().start();
    try (RawConnection c = new RawConnection(server.port())) {
      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: " + (CAP + 1) + "\r\n\r\n");
      CompletableFuture<Void> writing =
          writeInBackground(new BufferedOutputStream(rawOut(c)), out -> zeros(out, CAP + 1));
      RawConnection.Response r = c.read();
      assertEquals(413, r.status());
      assertEquals(
          "/echo takes bodies of at most 67108864 bytes; this request has a Content-Length of"
              + " 67108865\n",
          r.text());
      writing.get(30, TimeUnit.SECONDS); // the whole body went in: read and dropped, no reset
      assertEquals(200, c.get("/").status(), "the connection serves the next request");
    }
  }

  @Test
  void aChunkedBodyGrowingOverTheCapIs413WithAReasonNotAReset() throws Exception {
    server = ServerOptions.builder().start();
    try (RawConnection c = new RawConnection(server.port())) {
      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n");
      CompletableFuture<Void> writing =
          writeInBackground(
              new BufferedOutputStream(rawOut(c)),
              out -> {
                byte[] chunk = new byte[64 * 1024];
                byte[] size = "10000\r\n".getBytes(StandardCharsets.US_ASCII);
                for (long sent = 0; sent <= CAP; sent += chunk.length) {
                  out.write(size);
                  out.write(chunk);
                  out.write('\r');
                  out.write('\n');
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              });
      RawConnection.Response r = c.read();
      assertEquals(413, r.status());
      assertEquals(
          "/echo takes bodies of at most 67108864 bytes; this request has a chunked body of more"
              + " than 67108864 bytes\n",
          r.text());
      writing.get(30, TimeUnit.SECONDS);
      assertEquals(200, c.get("/").status(), "the connection serves the next request");
    }
  }

  @Test
  void uploadsOverTheBudgetAre503WithAReasonAndTheBudgetComesBack() throws Exception {
    server = ServerOptions.builder().start();
    EchoBudget budget = server.echoBudget();
    long fit = budget.limitBytes() / CAP;
    List<RawConnection> holders = new ArrayList<>();
    try {
      for (int i = 0; i < fit; i++) {
        RawConnection h = new RawConnection(server.port());
        holders.add(h);
        // each declares a full-size body and sends none of it yet: its share is taken
        h.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: " + CAP + "\r\n\r\n");
      }
      assertTrue(Await.until(() -> budget.usedBytes() == fit * CAP), "" + budget.usedBytes());
      try (RawConnection late = new RawConnection(server.port())) {
        // what is left of the budget is less than one full-size body
        late.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: " + CAP + "\r\n\r\n");
        RawConnection.Response r = late.read();
        assertEquals(503, r.status());
        assertEquals("1", r.header("Retry-After"));
        assertEquals(
            "/echo is buffering "
                + fit * CAP
                + " bytes of other uploads and this one needs "
                + CAP
                + " more: over its "
                + budget.limitBytes()
                + "-byte budget; retry later\n",
            r.text());
      }
    } finally {
      for (RawConnection h : holders) {
        h.close();
      }
    }
    assertTrue(Await.until(() -> budget.usedBytes() == 0), "uploads cut off give their share back");
    try (RawConnection c = new RawConnection(server.port())) {
      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\n\r\nhello");
      assertEquals("hello", c.read().text());
    }
  }

  @Test
  void chunkedAndFixedBodiesEchoByteForByte() throws Exception {
    server = ServerOptions.builder().start();
    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    try (RawConnection c = new RawConnection(server.port())) {
      c.sendRaw(
          "POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: " + body.length + "\r\n\r\n");
      c.sendRaw(body);
      RawConnection.Response fixed = c.read();
      assertEquals("application/octet-stream", fixed.header("Content-Type"));
      assertArrayEquals(body, fixed.body());

      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int off = 0; off < body.length; off += 70_000) {
        int len = Math.min(70_000, body.length - off);
        c.sendRaw(Integer.toHexString(len) + ";ext=1\r\n");
        c.sendRaw(java.util.Arrays.copyOfRange(body, off, off + len));
        c.sendRaw("\r\n");
      }
      c.sendRaw("0\r\nX-Trailer: 1\r\n\r\n");
      RawConnection.Response chunked = c.read();
      assertEquals(String.valueOf(body.length), chunked.header("Content-Length"));
      assertNull(chunked.header("Transfer-Encoding"));
      assertArrayEquals(body, chunked.body());

      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n");
      assertEquals(0, c.read().body().length);
      assertEquals(4, c.get("/").connectionRequests());
    }
    assertEquals(0, server.echoBudget().usedBytes());
  }

  private static OutputStream rawOut(RawConnection c) {
    return c.output();
  }
}
