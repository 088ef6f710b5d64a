package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests HTTP/1.1 does not allow get the status RFC 9110 and RFC 9112 give them, promptly, and a
 * connection whose framing is unknown is closed. Before: HEAD /abort/n returned nothing, /abort/0
 * was a complete 200, HTTP/9.9 and "get" were served, and Transfer-Encoding: gzip or a chunk
 * without its CRLF left the connection hanging for longer than 25 s.
 */
class ProtocolChecksIT {

  /** Far longer than any check below may take: a hang is not mistaken for an answer. */
  private static final int REQUEST_READ_TIMEOUT_MILLIS = 20_000;

  private HarnessServer server;
  private final LogRecorder log = new LogRecorder();

  @BeforeEach
  void start() {
    server = ServerOptions.builder().requestReadTimeoutMillis(REQUEST_READ_TIMEOUT_MILLIS).start();
  }

  @AfterEach
  void stop() {
    server.close();
    log.close();
    assertEquals(List.of(), log.lines(), "nothing on stderr");
  }

  @Test
  void abortIsDefinedForGetAndNAtLeastTwoOnly() throws Exception {
    try (RawConnection c = new RawConnection(server.port())) {
      c.send("HEAD", "/abort/10");
      RawConnection.Response head = c.readHead();
      assertEquals(405, head.status(), "a HEAD response has no body to cut");
      assertEquals("GET", head.header("Allow"));
      for (int n : new int[] {0, 1}) {
        RawConnection.Response r = c.get("/abort/" + n);
        assertEquals(400, r.status());
        assertEquals("n must be in [2, 67108864], was " + n + "\n", r.text());
      }
    }
    try (RawConnection c = new RawConnection(server.port())) {
      c.send("GET", "/abort/2");
      String all = new String(c.readToEof(), StandardCharsets.US_ASCII);
      assertTrue(all.toLowerCase().contains("content-length: 2\r\n"), all);
      assertTrue(all.endsWith("\r\n\r\na"), "one byte of two, then the close: " + all);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "GET / HTTP/9.9                   | 505 | HTTP/9.9 is not supported; this server speaks HTTP/1.1",
        "GET / HTTP/0.9                   | 505 | HTTP/0.9 is not supported; this server speaks HTTP/1.1",
        "get / HTTP/1.1                   | 400 | method 'get' is not GET: methods are case-sensitive",
        "Post /echo HTTP/1.1              | 400 | method 'Post' is not POST: methods are case-sensitive",
        "BREW / HTTP/1.1                  | 501 | method 'BREW' is not implemented",
      })
  void aRequestLineHttp11DoesNotAllowIsRefusedAndClosed(String line, int status, String reason)
      throws Exception {
    try (RawConnection c = new RawConnection(server.port())) {
      RawConnection.Response r = c.sendAndRead(line.strip() + "\r\nHost: {host}\r\n\r\n");
      assertEquals(status, r.status());
      assertEquals(reason + "\n", r.text());
      assertEquals("close", r.header("Connection"));
      assertTrue(c.eofWithin(2000), "closed");
    }
  }

  @Test
  void aHigherMinorVersionIsServedAsHttp11() throws Exception {
    try (RawConnection c = new RawConnection(server.port())) {
      RawConnection.Response r = c.sendAndRead("GET / HTTP/1.2\r\nHost: {host}\r\n\r\n");
      assertEquals(200, r.status());
      assertEquals("Hello, World!", r.text());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "gzip          | 400 | Transfer-Encoding 'gzip' does not end in chunked, so the body's length"
            + " is unknown",
        "chunked, gzip | 400 | Transfer-Encoding 'chunked, gzip' does not end in chunked, so the"
            + " body's length is unknown",
        "gzip, chunked | 501 | transfer coding 'gzip' is not implemented",
        "chunked, chunked | 400 | Transfer-Encoding 'chunked, chunked' is malformed",
      })
  void aTransferEncodingTheServerCannotFrameIsRefusedPromptly(
      String codings, int status, String reason) throws Exception {
    try (RawConnection c = new RawConnection(server.port())) {
      long start = System.nanoTime();
      RawConnection.Response r =
          c.sendAndRead(
              "POST /echo HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: "
                  + codings.strip()
                  + "\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
      assertEquals(status, r.status());
      assertEquals(reason.strip() + "\n", r.text());
      assertTrue(c.eofWithin(2000), "closed");
      long elapsed = Await.millisSince(start);
      assertTrue(elapsed < 2000, "answered and closed after " + elapsed + " ms");
    }
  }

  @Test
  void aChunkMissingItsCrlfIs400AndClosedPromptly() throws Exception {
    try (RawConnection c = new RawConnection(server.port())) {
      long start = System.nanoTime();
      RawConnection.Response r =
          c.sendAndRead(
              "POST /echo HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "3\r\nabcX0\r\n\r\n");
      assertEquals(400, r.status());
      assertEquals(
          "malformed chunked body: expected CRLF after the chunk data, got 'X'\n", r.text());
      assertTrue(c.eofWithin(2000), "closed");
      assertTrue(Await.millisSince(start) < 2000, "after " + Await.millisSince(start) + " ms");
    }
  }

  @Test
  void aChunkMissingItsCrlfLaterInTheBodyIs400AndClosedPromptly() throws Exception {
    try (RawConnection c = new RawConnection(server.port())) {
      c.sendRaw("POST /echo HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n");
      c.sendRaw("3\r\nabc\r\n");
      Thread.sleep(150); // the route is reading the body by now
      long start = System.nanoTime();
      c.sendRaw("4\r\ndefgh5\r\n\r\n");
      RawConnection.Response r = c.read();
      assertEquals(400, r.status());
      assertEquals(
          "malformed chunked body: expected CRLF after the chunk data, got 'h'\n", r.text());
      assertTrue(c.eofWithin(2000), "closed");
      assertTrue(Await.millisSince(start) < 2000, "after " + Await.millisSince(start) + " ms");
    }
  }

  @Test
  void aBrokenChunkAfterTheResponseClosesTheConnection() throws Exception {
    try (RawConnection c = new RawConnection(server.port())) {
      // GET / answers before reading the body; the body is then read and dropped, and breaks
      c.sendRaw("GET / HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc");
      assertEquals(200, c.read().status());
      c.sendRaw("X\r\n0\r\n\r\n");
      long start = System.nanoTime();
      assertTrue(c.eofWithin(2000), "closed");
      assertTrue(Await.millisSince(start) < 2000, "after " + Await.millisSince(start) + " ms");
    }
  }
}
