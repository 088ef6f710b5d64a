package dev.keepalive.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the HTTP version off a request line as it arrives. Undertow's parser turns every version it
 * does not know ({@code HTTP/1.2}, {@code HTTP/9.9}) into {@code HTTP/1.1} before a handler sees
 * the request, so the version a client really sent is taken here, from the bytes.
 *
 * <p>Armed when a request line is due (a new connection, the end of an exchange), it keeps the last
 * few bytes of the line and disarms at the line's LF; {@link #version()} is then the line's last
 * token. Undertow refuses malformed request lines itself, so nothing else is checked here.
 *
 * <p>Thread-safety: confined to the connection's {@link ConnectionWatch}, whose lock guards it.
 */
final class RequestLineScanner {

  /** " HTTP/x.y" plus the CR. */
  private static final int TAIL = 10;

  private final byte[] tail = new byte[TAIL];
  private int tailLength;
  private boolean armed;
  private String version;

  /** Expects a request line next; the previous version is forgotten. */
  void arm() {
    armed = true;
    tailLength = 0;
    version = null;
  }

  boolean armed() {
    return armed;
  }

  /** Scans the bytes at absolute indexes [from, to) of {@code buf}; its position is not touched. */
  void scan(ByteBuffer buf, int from, int to) {
    for (int i = from; i < to && armed; i++) {
      byte b = buf.get(i);
      if (b == '\n') {
        armed = false;
        version = lastToken();
      } else {
        if (tailLength == TAIL) {
          System.arraycopy(tail, 1, tail, 0, TAIL - 1);
          tailLength--;
        }
        tail[tailLength++] = b;
      }
    }
  }

  /** The last request line's version token ({@code HTTP/1.1}), or null if none was seen. */
  String version() {
    return version;
  }

  private String lastToken() {
    int end = tailLength > 0 && tail[tailLength - 1] == '\r' ? tailLength - 1 : tailLength;
    int start = end;
    while (start > 0 && tail[start - 1] != ' ') {
      start--;
    }
    return start == end ? null : new String(tail, start, end - start, StandardCharsets.ISO_8859_1);
  }
}
