package dev.keepalive.agent;

import java.nio.ByteBuffer;

/**
 * Fuzz target for {@link ResponseParser}: arbitrary bytes, split at an arbitrary point, fed as a
 * response. The only exception the parser may throw is {@link HttpParseException} (malformed or
 * too_large); memory stays bounded: the body handed out never exceeds the input, and the parser's
 * own buffer is its fixed header limit. Run by {@code ResponseParserFuzzIT} (JUnit, bounded) and by
 * Jazzer's command line for longer runs (README).
 */
public final class ResponseParserFuzzer {
  private ResponseParserFuzzer() {}

  /**
   * Jazzer's entry point. Byte 0 bit 0: a HEAD request; byte 1: the header limit (1024 + 12·b);
   * byte 2: where the input is split in two reads; the rest: the response.
   */
  public static void fuzzerTestOneInput(byte[] data) {
    if (data.length < 3) {
      return;
    }
    boolean head = (data[0] & 1) == 1;
    int limit = 1024 + (data[1] & 0xff) * 12;
    int split = data[2] & 0xff;
    byte[] input = java.util.Arrays.copyOfRange(data, 3, data.length);
    ResponseParser parser = new ResponseParser(limit);
    parser.begin(head);
    long[] bodyBytes = new long[1];
    ResponseParser.Handler handler =
        new ResponseParser.Handler() {
          @Override
          public void onHead(int status, ResponseHead head) {
            if (status < 200 || status > 599) {
              throw new IllegalStateException("final status out of range: " + status);
            }
            head.reason(); // the lazy views decode what the parser validated, without failing
            for (Header h : head.headers()) {
              if (head.header(h.name()) == null) {
                throw new IllegalStateException("header " + h.name() + " not found by name");
              }
            }
          }

          @Override
          public void onBody(ByteBuffer d) {
            bodyBytes[0] += d.remaining();
            d.position(d.limit());
          }
        };
    try {
      int first = Math.min(split, input.length);
      boolean done = parser.feed(ByteBuffer.wrap(input, 0, first), handler);
      if (!done) {
        parser.feed(ByteBuffer.wrap(input, first, input.length - first), handler);
      }
      parser.eof();
    } catch (HttpParseException e) {
      if (e.errorClass() != ErrorClass.MALFORMED && e.errorClass() != ErrorClass.TOO_LARGE) {
        throw new IllegalStateException(
            "parse errors are malformed or too_large, was " + e.errorClass(), e);
      }
    }
    if (bodyBytes[0] > input.length) {
      throw new IllegalStateException(
          "body " + bodyBytes[0] + " bytes from an input of " + input.length);
    }
  }
}
