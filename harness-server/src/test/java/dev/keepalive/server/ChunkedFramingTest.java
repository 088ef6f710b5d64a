package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedFramingTest {

  /** {@code |} is CRLF, {@code ~} a lone CR, {@code ^} a lone LF, {@code `} the byte 0x01. */
  private static ByteBuffer bytes(String s) {
    String raw =
        s.replace("|", "\r\n").replace("~", "\r").replace("^", "\n").replace("`", "\u0001");
    return ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Feeds the body one byte at a time, as the slowest client would send it. */
  private static ChunkedFraming byteByByte(String body) {
    ChunkedFraming f = new ChunkedFraming();
    ByteBuffer b = bytes(body);
    for (int i = 0; i < b.limit() && f.problem() == null && !f.done(); i++) {
      int used = f.check(b, i, i + 1);
      assertEquals(f.problem() == null ? 1 : 0, used, "a bad byte is not passed, a good one is");
    }
    return f;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0||",
        "3|abc|0||",
        "3|abc|A|0123456789|0||",
        "3;name=value;x|abc|0||",
        "3 ;x|abc|0||",
        "00000003|abc|0||",
        "3|abc|0|Trailer-Field: yes|Another: 1||",
      })
  void wellFormedBodiesEndExactlyAtTheirLastCrlf(String body) {
    ChunkedFraming f = new ChunkedFraming();
    ByteBuffer b = bytes(body + "GET / HTTP/1.1|");
    int bodyLength = bytes(body).limit();
    assertEquals(bodyLength, f.check(b, 0, b.limit()), "the next request is not the body's");
    assertTrue(f.done());
    assertNull(f.problem());
    ChunkedFraming slow = byteByByte(body);
    assertTrue(slow.done(), "the same, one byte at a time");
    assertNull(slow.problem());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '!',
      value = {
        "3|abcX0||          ! 6 ! expected CRLF after the chunk data, got 'X'",
        "3|abc^0||          ! 6 ! expected CRLF after the chunk data, got byte 0x0a",
        "3|abc~X0||         ! 7 ! expected CRLF after the chunk data, got CR then 'X'",
        "x|abc|0||          ! 0 ! a chunk size must start with a hex digit, got 'x'",
        "|                  ! 0 ! a chunk size must start with a hex digit, got byte 0x0d",
        "3^abc|0||          ! 1 ! a chunk size line has byte 0x0a after the size",
        "3~X|abc|0||        ! 2 ! a chunk size line must end in CRLF, got CR then 'X'",
        "3z|abc|0||         ! 1 ! a chunk size line has 'z' after the size",
        "1234567890abcdef|x ! 15 ! a chunk size has more than 15 hex digits",
        "0|Bad`Field||      ! 6 ! a trailer line has byte 0x01",
        "0|~X               ! 4 ! a chunked body must end in CRLF, got CR then 'X'",
      })
  void theFirstBadByteIsNamedAndNotPassed(String body, int goodBytes, String problem) {
    ChunkedFraming f = new ChunkedFraming();
    ByteBuffer b = bytes(body.strip());
    assertEquals(goodBytes, f.check(b, 0, b.limit()));
    assertEquals(problem, f.problem());
    assertFalse(f.done());
    assertEquals(problem, byteByByte(body.strip()).problem(), "the same, one byte at a time");
  }

  @ParameterizedTest
  @ValueSource(ints = {ChunkedFraming.MAX_EXTENSION_BYTES + 1})
  void anOverlongExtensionIsMalformed(int length) {
    ChunkedFraming f = new ChunkedFraming();
    ByteBuffer b = bytes("3;" + "x".repeat(length) + "|abc|0||");
    f.check(b, 0, b.limit());
    assertEquals(
        "a chunk extension is longer than " + ChunkedFraming.MAX_EXTENSION_BYTES + " bytes",
        f.problem());
  }
}
