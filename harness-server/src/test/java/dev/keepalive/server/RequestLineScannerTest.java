package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestLineScannerTest {

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void theVersionIsTheLastTokenOfTheFirstLineOnly() {
    RequestLineScanner s = new RequestLineScanner();
    s.arm();
    ByteBuffer b = bytes("GET /a/long/path?q=1 HTTP/9.9\r\nHost: x HTTP/1.1\r\n\r\n");
    s.scan(b, 0, b.limit());
    assertFalse(s.armed());
    assertEquals("HTTP/9.9", s.version());
  }

  @Test
  void aLineSplitAcrossReadsIsStillRead() {
    RequestLineScanner s = new RequestLineScanner();
    s.arm();
    ByteBuffer b = bytes("GET / HTTP/1.2\r\n");
    for (int i = 0; i < b.limit(); i++) {
      assertNull(s.version());
      s.scan(b, i, i + 1);
    }
    assertEquals("HTTP/1.2", s.version());
  }

  @Test
  void armingForgetsThePreviousLineAndOnlyTheArmedRangeCounts() {
    RequestLineScanner s = new RequestLineScanner();
    s.arm();
    ByteBuffer b = bytes("xxGET / HTTP/1.0\r\nGET / HTTP/2.0\r\n");
    s.scan(b, 2, b.limit());
    assertEquals("HTTP/1.0", s.version());
    s.arm();
    assertTrue(s.armed());
    assertNull(s.version());
    s.scan(b, 18, b.limit());
    assertEquals("HTTP/2.0", s.version());
  }
}
