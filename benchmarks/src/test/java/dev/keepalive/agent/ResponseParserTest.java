package dev.keepalive.agent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseParserTest {

  /** The outcome of feeding one response. */
  static final class Result implements ResponseParser.Handler {
    int status = -1;
    List<Header> headers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean complete;
    boolean keepAlive;
    int leftover;

    @Override
    public void onHead(int status, ResponseHead head) {
      this.status = status;
      this.headers = head.headers();
    }

    @Override
    public void onBody(ByteBuffer data) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      body.write(b, 0, b.length);
    }

    String body() {
      return body.toString(ISO_8859_1);
    }
  }

  /** Feeds the response split at every possible point into two pieces, and checks each agrees. */
  static Result parse(String wire, boolean head, boolean eof) throws HttpParseException {
    byte[] bytes = wire.getBytes(ISO_8859_1);
    Result reference = null;
    for (int split = 0; split <= bytes.length; split++) {
      Result r = new Result();
      ResponseParser p = new ResponseParser(16 * 1024);
      p.begin(head);
      ByteBuffer first = ByteBuffer.wrap(bytes, 0, split);
      boolean done = p.feed(first, r);
      ByteBuffer second = ByteBuffer.wrap(bytes, split, bytes.length - split);
      if (!done) {
        done = p.feed(second, r);
      }
      r.leftover = done ? first.remaining() + second.remaining() : 0;
      if (!done && eof) {
        done = p.eof();
      }
      r.complete = done;
      r.keepAlive = done && p.keepAlive();
      if (reference == null) {
        reference = r;
      } else {
        assertEquals(reference.body(), r.body(), "split at " + split);
        assertEquals(reference.complete, r.complete, "split at " + split);
        assertEquals(reference.keepAlive, r.keepAlive, "split at " + split);
      }
    }
    return reference;
  }

  static Result parse(String wire) throws HttpParseException {
    return parse(wire, false, false);
  }

  static HttpParseException failure(String wire) {
    return assertThrows(HttpParseException.class, () -> parse(wire));
  }

  @Test
  void contentLengthBody() throws Exception {
    Result r = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello");
    assertEquals(200, r.status);
    assertEquals("hello", r.body());
    assertTrue(r.complete);
    assertTrue(r.keepAlive);
    assertEquals(new Header("X-A", "b"), r.headers.get(1));
  }

  @Test
  void chunkedBodyWithExtensionsAndTrailers() throws Exception {
    Result r =
        parse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1 ; x\r\n!\r\n0\r\nTrailer-A: 1\r\nTrailer-B: 2\r\n\r\n");
    assertEquals("hello!", r.body());
    assertTrue(r.complete);
    assertTrue(r.keepAlive);
  }

  @Test
  void closeDelimitedBodyEndsAtEofAndIsNeverReused() throws Exception {
    Result r = parse("HTTP/1.1 200 OK\r\n\r\nuntil the end", false, true);
    assertEquals("until the end", r.body());
    assertTrue(r.complete);
    assertFalse(r.keepAlive);
  }

  @Test
  void interimResponsesAreSkipped() throws Exception {
    Result r =
        parse(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertEquals(200, r.status);
    assertEquals("ok", r.body());
  }

  @Test
  void unexpectedSwitchingProtocolsIsMalformed() {
    assertEquals(
        ErrorClass.MALFORMED, failure("HTTP/1.1 101 Switching Protocols\r\n\r\n").errorClass());
  }

  @ParameterizedTest
  @ValueSource(ints = {204, 304})
  void noBodyStatuses(int status) throws Exception {
    Result r = parse("HTTP/1.1 " + status + " X\r\nContent-Length: 10\r\n\r\n");
    assertTrue(r.complete);
    assertEquals("", r.body());
    assertTrue(r.keepAlive);
  }

  @Test
  void headResponsesHaveNoBody() throws Exception {
    Result r = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", true, false);
    assertTrue(r.complete);
    assertEquals("", r.body());
  }

  @Test
  void keepAliveRulesOfTestHttpShouldKeepAlive() throws Exception {
    assertFalse(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertTrue(
        parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertFalse(
        parse("HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertTrue(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertTrue(
        parse("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertFalse(
        parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertFalse(
        parse("HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 0\r\n\r\n")
            .keepAlive);
  }

  @Test
  void conflictingContentLengthsAreMalformed() {
    assertEquals(
        ErrorClass.MALFORMED,
        failure("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")
            .errorClass());
    assertEquals(
        ErrorClass.MALFORMED,
        failure("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello").errorClass());
  }

  @Test
  void repeatedEqualContentLengthsAreAccepted() throws Exception {
    assertEquals(
        "hello",
        parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello").body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "+5", "5x", "", "0x10", "1234567890123456789"})
  void invalidContentLengthsAreMalformed(String value) {
    assertEquals(
        ErrorClass.MALFORMED,
        failure("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\n").errorClass());
  }

  @Test
  void contentLengthWithTransferEncodingIsDecodedAsChunkedAndNeverReused() throws Exception {
    Result r =
        parse(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n");
    assertEquals("abc", r.body());
    assertTrue(r.complete);
    assertFalse(r.keepAlive);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zz", "", " 5", "-1", "1234567890abcdef0", "5 x"})
  void badChunkSizesAreMalformed(String size) {
    assertEquals(
        ErrorClass.MALFORMED,
        failure(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + size
                    + "\r\nhello\r\n0\r\n\r\n")
            .errorClass());
  }

  @Test
  void chunkDataMustEndWithCrlf() {
    assertEquals(
        ErrorClass.MALFORMED,
        failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n")
            .errorClass());
  }

  @Test
  void chunkedMustBeTheLastCodingAndAppliedOnce() throws Exception {
    assertEquals(
        ErrorClass.MALFORMED,
        failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n")
            .errorClass());
    Result r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw", false, true);
    assertEquals("raw", r.body());
    assertFalse(r.keepAlive, "not chunked-last: close-delimited");
  }

  @Test
  void oversizedHeadersAreTooLarge() {
    String big = "X-Big: " + "a".repeat(17 * 1024) + "\r\n";
    assertEquals(ErrorClass.TOO_LARGE, failure("HTTP/1.1 200 OK\r\n" + big + "\r\n").errorClass());
    StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 2000; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    assertEquals(ErrorClass.TOO_LARGE, failure(many + "\r\n").errorClass());
  }

  /**
   * The head buffer starts small and grows: heads up to maxHeaderBytes still parse whole, with CRLF
   * and bare-LF lines, fed a byte at a time or at once.
   */
  @Test
  void headsUpToTheLimitParseWhateverTheBufferStartedAt() throws HttpParseException {
    int max = 16 * 1024;
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\n");
    for (int i = 0; head.length() < max - 1200; i++) {
      head.append("X-")
          .append(i)
          .append(": ")
          .append("v".repeat(i % 97))
          .append(i % 2 == 0 ? "\r\n" : "\n");
    }
    head.append("X-Long: ").append("w".repeat(1000)).append("\n");
    head.append("Content-Length: 2\r\n\r\n");
    assertTrue(head.length() <= max && head.length() > max - 200, "head of " + head.length());
    byte[] wire = (head + "ok").getBytes(ISO_8859_1);
    for (int step : new int[] {1, 7, wire.length}) {
      Result r = new Result();
      ResponseParser p = new ResponseParser(max);
      p.begin(false);
      boolean done = false;
      for (int at = 0; at < wire.length && !done; at += step) {
        done = p.feed(ByteBuffer.wrap(wire, at, Math.min(step, wire.length - at)), r);
      }
      assertTrue(done, "step " + step);
      assertEquals("ok", r.body(), "step " + step);
      assertEquals(
          new Header("X-Long", "w".repeat(1000)),
          r.headers.get(r.headers.size() - 2),
          "step " + step);
    }
  }

  @Test
  void oversizedChunkLinesAndTrailersAreTooLarge() {
    String ext = ";" + "e".repeat(17 * 1024);
    assertEquals(
        ErrorClass.TOO_LARGE,
        failure(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1"
                    + ext
                    + "\r\na\r\n0\r\n\r\n")
            .errorClass());
    String trailer = "T: " + "t".repeat(17 * 1024) + "\r\n";
    assertEquals(
        ErrorClass.TOO_LARGE,
        failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailer + "\r\n")
            .errorClass());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nName : x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nName: x\u0000y\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded\r\nName: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: novalue\r\n\r\n",
        "HTTP/1.1 200 OK\r\nnocolon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nName: a\rb\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 600 High\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "garbage\r\n\r\n",
      })
  void malformedHeadsAreRejected(String wire) {
    assertEquals(ErrorClass.MALFORMED, failure(wire).errorClass());
  }

  @Test
  void truncatedResponsesAreNotComplete() throws Exception {
    assertFalse(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false, true).complete);
    assertFalse(
        parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", false, true)
            .complete);
    assertFalse(parse("HTTP/1.1 200 OK\r\nContent-Le", false, true).complete);
  }

  @Test
  void bytesAfterTheResponseAreLeftForTheCaller() throws Exception {
    Result r = parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");
    assertTrue(r.complete);
    assertEquals("ok", r.body());
    assertEquals(5, r.leftover);
  }

  @Test
  void keepAliveHeaderIsExposedForTheHint() throws Exception {
    ResponseParser p = new ResponseParser(16 * 1024);
    p.begin(false);
    assertTrue(
        p.feed(
            ByteBuffer.wrap(
                "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(ISO_8859_1)),
            new Result()));
    assertEquals("timeout=5, max=100", p.keepAliveHeader());
  }

  @Test
  void bareLineFeedsAreAccepted() throws Exception {
    assertEquals("ok", parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nok").body());
  }

  @Test
  void emptyReasonPhraseIsAccepted() throws Exception {
    assertEquals(204, parse("HTTP/1.1 204\r\n\r\n").status);
    assertEquals(200, parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").status);
  }
}
