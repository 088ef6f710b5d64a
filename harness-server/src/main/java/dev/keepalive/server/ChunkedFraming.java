package dev.keepalive.server;

import java.nio.ByteBuffer;

/**
 * Checks the framing of a chunked request body as RFC 9112 section 7.1 states it, byte by byte as
 * the body arrives. Undertow's own decoder is lenient: after a chunk's data it skips anything up to
 * the next LF, so a chunk missing its CRLF ({@code 3\r\nabcX0\r\n\r\n}) leaves it waiting for a
 * body end that never comes, and the client hangs. This checker names the first byte that breaks
 * the grammar instead, so the server can answer 400 at once.
 *
 * <pre>
 * chunked-body = *chunk last-chunk trailer-section CRLF
 * chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 * </pre>
 *
 * Line ends must be CRLF; a chunk size has at most 15 hex digits; a chunk extension may hold up to
 * {@value #MAX_EXTENSION_BYTES} bytes and the trailer section {@value #MAX_TRAILER_BYTES}.
 *
 * <p>Thread-safety: confined to the connection's {@link ConnectionWatch}, whose lock guards it.
 */
final class ChunkedFraming {

  static final int MAX_EXTENSION_BYTES = 4096;
  static final int MAX_TRAILER_BYTES = 16 * 1024;
  private static final int MAX_SIZE_DIGITS = 15;

  private enum State {
    SIZE_START,
    SIZE,
    EXTENSION,
    SIZE_LF,
    DATA,
    DATA_CR,
    DATA_LF,
    TRAILER_START,
    TRAILER_LINE,
    TRAILER_LF,
    END_LF,
    DONE,
    MALFORMED
  }

  private State state = State.SIZE_START;
  private long chunkRemaining;
  private int digits;
  private int extensionBytes;
  private int trailerBytes;
  private String problem;

  /**
   * Checks the bytes at absolute indexes [from, to) of {@code buf} (its position is not touched).
   *
   * @return how many of them belong to the body and are well formed: {@code to - from} while the
   *     body goes on; fewer when the body ended inside the range (the rest is the next request) or
   *     when a byte broke the grammar (then {@link #problem()} says which)
   */
  int check(ByteBuffer buf, int from, int to) {
    int i = from;
    while (i < to && state != State.DONE && state != State.MALFORMED) {
      if (state == State.DATA) {
        int take = (int) Math.min(chunkRemaining, to - i);
        chunkRemaining -= take;
        i += take;
        if (chunkRemaining == 0) {
          state = State.DATA_CR;
        }
        continue;
      }
      if (step(buf.get(i))) {
        i++;
      }
    }
    return i - from;
  }

  /** True when the body ended (its final CRLF was seen). */
  boolean done() {
    return state == State.DONE;
  }

  /** What broke the grammar, or null. */
  String problem() {
    return problem;
  }

  /** Consumes one byte outside chunk data; false when it is malformed (it is not consumed). */
  private boolean step(byte b) {
    switch (state) {
      case SIZE_START -> {
        if (hexValue(b) < 0) {
          return fail("a chunk size must start with a hex digit, got " + describe(b));
        }
        chunkRemaining = hexValue(b);
        digits = 1;
        state = State.SIZE;
      }
      case SIZE -> {
        int v = hexValue(b);
        if (v >= 0) {
          if (++digits > MAX_SIZE_DIGITS) {
            return fail("a chunk size has more than " + MAX_SIZE_DIGITS + " hex digits");
          }
          chunkRemaining = chunkRemaining * 16 + v;
        } else if (b == ';' || b == ' ' || b == '\t') {
          extensionBytes = 1;
          state = State.EXTENSION;
        } else if (b == '\r') {
          state = State.SIZE_LF;
        } else {
          return fail("a chunk size line has " + describe(b) + " after the size");
        }
      }
      case EXTENSION -> {
        if (b == '\r') {
          state = State.SIZE_LF;
        } else if (isControl(b)) {
          return fail("a chunk extension has " + describe(b));
        } else if (++extensionBytes > MAX_EXTENSION_BYTES) {
          return fail("a chunk extension is longer than " + MAX_EXTENSION_BYTES + " bytes");
        }
      }
      case SIZE_LF -> {
        if (b != '\n') {
          return fail("a chunk size line must end in CRLF, got CR then " + describe(b));
        }
        state = chunkRemaining == 0 ? State.TRAILER_START : State.DATA;
      }
      case DATA_CR -> {
        if (b != '\r') {
          return fail("expected CRLF after the chunk data, got " + describe(b));
        }
        state = State.DATA_LF;
      }
      case DATA_LF -> {
        if (b != '\n') {
          return fail("expected CRLF after the chunk data, got CR then " + describe(b));
        }
        state = State.SIZE_START;
      }
      case TRAILER_START, TRAILER_LINE -> {
        if (b == '\r') {
          state = state == State.TRAILER_START ? State.END_LF : State.TRAILER_LF;
        } else if (isControl(b)) {
          return fail("a trailer line has " + describe(b));
        } else if (++trailerBytes > MAX_TRAILER_BYTES) {
          return fail("the trailer section is longer than " + MAX_TRAILER_BYTES + " bytes");
        } else {
          state = State.TRAILER_LINE;
        }
      }
      case TRAILER_LF -> {
        if (b != '\n') {
          return fail("a trailer line must end in CRLF, got CR then " + describe(b));
        }
        state = State.TRAILER_START;
      }
      case END_LF -> {
        if (b != '\n') {
          return fail("a chunked body must end in CRLF, got CR then " + describe(b));
        }
        state = State.DONE;
      }
      default -> throw new IllegalStateException(state.name());
    }
    return true;
  }

  private boolean fail(String why) {
    problem = why;
    state = State.MALFORMED;
    return false;
  }

  private static int hexValue(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  private static boolean isControl(byte b) {
    return (b >= 0 && b < 0x20 && b != '\t') || b == 0x7f;
  }

  private static String describe(byte b) {
    return b > 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
  }
}
