package dev.keepalive.agent;

import static dev.keepalive.agent.ResponseParserTest.failure;
import static dev.keepalive.agent.ResponseParserTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9112 §5.2: a user agent that receives obs-fold in a response header replaces each fold with
 * spaces before interpreting the value; a fold in a framing header stays malformed. (Node's parser
 * rejects every fold: see docs/node-agent-semantics.md §14.)
 */
class ObsFoldTest {

  @Test
  void aFoldAndTheWhitespaceAroundItBecomeOneSpace() throws Exception {
    ResponseParserTest.Result r =
        parse("HTTP/1.1 200 OK\r\nX-A: one \r\n \t two\r\n\tthree\r\nContent-Length: 2\r\n\r\nok");
    assertEquals(
        List.of(new Header("X-A", "one two three"), new Header("Content-Length", "2")), r.headers);
    assertEquals("ok", r.body());
    assertTrue(r.keepAlive, "a fold is not an irregularity that forbids reuse");
  }

  @Test
  void aFoldedConnectionHeaderIsInterpretedUnfolded() throws Exception {
    ResponseParserTest.Result r =
        parse(
            "HTTP/1.1 200 OK\r\nConnection: keep-alive,\r\n close\r\nContent-Length: 2\r\n\r\nok");
    assertTrue(r.complete);
    assertFalse(r.keepAlive, "the folded 'close' token counts");
  }

  @Test
  void aFoldedKeepAliveHintIsRead() throws Exception {
    ResponseParser p = new ResponseParser(16 * 1024);
    p.begin(false);
    String wire =
        "HTTP/1.1 200 OK\r\nKeep-Alive:\r\n timeout=3,\r\n max=9\r\nContent-Length: 0\r\n\r\n";
    assertTrue(
        p.feed(
            ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1)),
            new ResponseParserTest.Result()));
    assertEquals("timeout=3, max=9", p.keepAliveHeader());
    assertEquals(3, p.keepAliveTimeoutSeconds());
  }

  @Test
  void foldedTrailersAreAccepted() throws Exception {
    ResponseParserTest.Result r =
        parse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\nT: a\r\n b\r\n\r\n");
    assertTrue(r.complete);
    assertEquals("ok", r.body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip,\r\n chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING:\r\n\tchunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded-before-any-header\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: one\r\n tw\u0001o\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n folded-first-trailer\r\n\r\n",
      })
  void aFoldInAFramingHeaderOrWithNothingToContinueIsMalformed(String wire) {
    assertEquals(ErrorClass.MALFORMED, failure(wire).errorClass());
  }
}
