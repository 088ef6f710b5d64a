package dev.keepalive.agent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.List;

/**
 * The head of one final response, kept as the bytes the parser already validated: the status line
 * and each header line, every line ended by {@code '\n'} (CR removed). Names, values and the reason
 * phrase become strings only when a caller asks, so a load loop that never reads headers does not
 * pay for them (one array per response instead of three objects per header).
 *
 * <p>Thread-safety: immutable after construction; safe to share.
 */
final class ResponseHead {

  private static final ResponseHead EMPTY = new ResponseHead(new byte[0]);

  private final byte[] lines;

  ResponseHead(byte[] lines) {
    this.lines = lines;
  }

  /** A head with no status line and no headers (a response object built without one). */
  static ResponseHead empty() {
    return EMPTY;
  }

  /** The reason phrase as received, or "" when the status line has none. */
  String reason() {
    int end = lineEnd(0);
    return end > 13 ? new String(lines, 13, end - 13, ISO_8859_1) : "";
  }

  /** Every header in the order received, names as received, values without surrounding OWS. */
  List<Header> headers() {
    if (lines.length == 0) {
      return List.of();
    }
    ArrayList<Header> headers = new ArrayList<>(8);
    for (int start = lineEnd(0) + 1; start < lines.length; start = lineEnd(start) + 1) {
      int end = lineEnd(start);
      int colon = indexOf(start, end, (byte) ':');
      headers.add(new Header(text(start, colon), value(colon + 1, end)));
    }
    return List.copyOf(headers);
  }

  /** The first header named {@code name} (case-insensitive), or null; builds no list. */
  String header(String name) {
    if (lines.length == 0) {
      return null;
    }
    for (int start = lineEnd(0) + 1; start < lines.length; start = lineEnd(start) + 1) {
      int end = lineEnd(start);
      int colon = indexOf(start, end, (byte) ':');
      if (nameEquals(lines, start, colon, name)) {
        return value(colon + 1, end);
      }
    }
    return null;
  }

  /** ASCII case-insensitive comparison of {@code bytes[from, to)} with {@code name}. */
  static boolean nameEquals(byte[] bytes, int from, int to, String name) {
    if (to - from != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      int a = bytes[from + i];
      int b = name.charAt(i);
      if (a != b && (a | 0x20) != (b | 0x20)) {
        return false;
      }
      if (a != b && !Character.isLetter(b)) {
        return false;
      }
    }
    return true;
  }

  private String value(int from, int to) {
    while (from < to && (lines[from] == ' ' || lines[from] == '\t')) {
      from++;
    }
    while (to > from && (lines[to - 1] == ' ' || lines[to - 1] == '\t')) {
      to--;
    }
    return text(from, to);
  }

  private String text(int from, int to) {
    return new String(lines, from, to - from, ISO_8859_1);
  }

  private int lineEnd(int from) {
    int i = indexOf(from, lines.length, (byte) '\n');
    return i < 0 ? lines.length : i;
  }

  private int indexOf(int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (lines[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
