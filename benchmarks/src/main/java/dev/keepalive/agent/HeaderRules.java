package dev.keepalive.agent;

import java.util.Locale;

/**
 * The rules for the lines of a response head: the status line, chunk-size lines, and what the
 * headers that decide framing and reuse mean: {@code Content-Length}, {@code Transfer-Encoding},
 * {@code Connection} (RFC 9112) and Node's reading of {@code Keep-Alive: timeout=N}. Values are
 * read from the parser's bytes where a response carries them on every exchange, so the common head
 * allocates nothing here.
 *
 * <p>Thread-safety: stateless.
 */
final class HeaderRules {

  /** Tokens seen in a {@code Connection} header value. */
  static final int CONNECTION_CLOSE = 1;

  static final int CONNECTION_KEEP_ALIVE = 2;

  private HeaderRules() {}

  private static final int MAX_CHUNK_SIZE_HEX_DIGITS = 15;

  /**
   * Validates a status line, {@code HTTP/1.x SP 3DIGIT [SP reason]}, and returns its code.
   *
   * @throws HttpParseException on anything else
   */
  static int statusCode(byte[] l, int from, int to) throws HttpParseException {
    int len = to - from;
    if (len < 12
        || !startsWith(l, from, "HTTP/1.")
        || (l[from + 7] != '0' && l[from + 7] != '1')
        || l[from + 8] != ' '
        || !isDigit(l[from + 9])
        || !isDigit(l[from + 10])
        || !isDigit(l[from + 11])
        || (len > 12 && l[from + 12] != ' ')) {
      throw HttpParseException.malformed("bad status line '" + text(l, from, to) + "'");
    }
    int status = (l[from + 9] - '0') * 100 + (l[from + 10] - '0') * 10 + (l[from + 11] - '0');
    if (status < 100 || status > 599) {
      throw HttpParseException.malformed("status code out of range: " + status);
    }
    for (int i = from + 13; i < to; i++) {
      if (isCtl(l[i]) && l[i] != '\t') {
        throw HttpParseException.malformed("control character in reason phrase");
      }
    }
    return status;
  }

  /**
   * A chunk-size line: hex digits, optional OWS, optional extensions (validated, ignored).
   *
   * @throws HttpParseException on anything else, or more than 15 hex digits
   */
  static long chunkSize(byte[] l, int from, int to) throws HttpParseException {
    long size = 0;
    int digits = 0;
    int i = from;
    for (; i < to; i++) {
      int d = Character.digit(l[i], 16);
      if (d < 0) {
        break;
      }
      if (++digits > MAX_CHUNK_SIZE_HEX_DIGITS) {
        throw HttpParseException.malformed(
            "chunk size overflows: more than " + MAX_CHUNK_SIZE_HEX_DIGITS + " hex digits");
      }
      size = size * 16 + d;
    }
    if (digits == 0) {
      throw invalidChunkSize(l, from, to);
    }
    while (i < to && isOws(l[i])) {
      i++;
    }
    if (i < to && l[i] != ';') {
      throw invalidChunkSize(l, from, to);
    }
    for (; i < to; i++) {
      if (isCtl(l[i]) && l[i] != '\t') {
        throw HttpParseException.malformed("control character in chunk extension");
      }
    }
    return size;
  }

  private static HttpParseException invalidChunkSize(byte[] l, int from, int to) {
    return HttpParseException.malformed(
        "invalid chunk size '" + text(l, from, Math.min(to, from + 32)) + "'");
  }

  private static boolean startsWith(byte[] l, int from, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (l[from + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Validates a header line's name (a token), its colon and its value; returns the colon's index.
   *
   * @throws HttpParseException naming what is wrong
   */
  static int headerColon(byte[] l, int from, int to) throws HttpParseException {
    int colon = -1;
    for (int i = from; i < to; i++) {
      byte b = l[i];
      if (b == ':') {
        colon = i;
        break;
      }
      if (!isTchar(b)) {
        throw HttpParseException.malformed(
            (b == ' ' || b == '\t'
                    ? "whitespace"
                    : "invalid character 0x" + Integer.toHexString(b & 0xff))
                + " in header name '"
                + text(l, from, Math.min(to, from + 64))
                + "'");
      }
    }
    if (colon <= from) {
      throw HttpParseException.malformed(
          "header line without a name and colon: '" + text(l, from, Math.min(to, from + 64)) + "'");
    }
    checkValue(l, colon + 1, to);
    return colon;
  }

  /** Whether {@code l[from, colon)} names a header that frames the body. */
  static boolean isFramingHeader(byte[] l, int from, int colon) {
    return ResponseHead.nameEquals(l, from, colon, "content-length")
        || ResponseHead.nameEquals(l, from, colon, "transfer-encoding");
  }

  /**
   * Joins the obs-fold line {@code l[from, to)} to the header whose value starts at {@code
   * valueFrom} and ends at {@code end} (RFC 9112 §5.2): the fold, with the whitespace around it,
   * becomes one SP. Returns the header's new end.
   *
   * @throws HttpParseException if the folded part holds a control character
   */
  static int unfold(byte[] l, int valueFrom, int end, int from, int to) throws HttpParseException {
    checkValue(l, from, to);
    while (end > valueFrom && isOws(l[end - 1])) {
      end--;
    }
    while (from < to && isOws(l[from])) {
      from++;
    }
    l[end++] = ' ';
    System.arraycopy(l, from, l, end, to - from);
    return end + (to - from);
  }

  /**
   * A header value (or a folded part of one): no control character but HTAB.
   *
   * @throws HttpParseException on anything else
   */
  static void checkValue(byte[] l, int from, int to) throws HttpParseException {
    for (int i = from; i < to; i++) {
      if (isCtl(l[i]) && l[i] != '\t') {
        throw HttpParseException.malformed(
            "control character 0x" + Integer.toHexString(l[i] & 0xff) + " in header value");
      }
    }
  }

  /**
   * {@code Content-Length}: one or more equal decimal values, comma-separated.
   *
   * @throws HttpParseException on anything else
   */
  static long contentLength(byte[] b, int from, int to) throws HttpParseException {
    long result = -1;
    int partStart = from;
    for (int i = from; i <= to; i++) {
      if (i < to && b[i] != ',') {
        continue;
      }
      int s = partStart;
      int e = i;
      while (s < e && isOws(b[s])) {
        s++;
      }
      while (e > s && isOws(b[e - 1])) {
        e--;
      }
      if (s == e || e - s > 18) {
        throw invalidContentLength(b, from, to);
      }
      long v = 0;
      for (int k = s; k < e; k++) {
        if (b[k] < '0' || b[k] > '9') {
          throw invalidContentLength(b, from, to);
        }
        v = v * 10 + (b[k] - '0');
      }
      if (result >= 0 && result != v) {
        throw HttpParseException.malformed(
            "conflicting Content-Length values in '" + text(b, from, to) + "'");
      }
      result = v;
      partStart = i + 1;
    }
    return result;
  }

  private static HttpParseException invalidContentLength(byte[] b, int from, int to) {
    return HttpParseException.malformed("invalid Content-Length '" + text(b, from, to) + "'");
  }

  /** The {@code close} / {@code keep-alive} tokens of a {@code Connection} value, as bits. */
  static int connectionTokens(byte[] b, int from, int to) {
    int tokens = 0;
    int partStart = from;
    for (int i = from; i <= to; i++) {
      if (i < to && b[i] != ',') {
        continue;
      }
      int s = partStart;
      int e = i;
      while (s < e && (b[s] & 0xff) <= ' ') {
        s++;
      }
      while (e > s && (b[e - 1] & 0xff) <= ' ') {
        e--;
      }
      if (ResponseHead.nameEquals(b, s, e, "close")) {
        tokens |= CONNECTION_CLOSE;
      } else if (ResponseHead.nameEquals(b, s, e, "keep-alive")) {
        tokens |= CONNECTION_KEEP_ALIVE;
      }
      partStart = i + 1;
    }
    return tokens;
  }

  /**
   * Transfer-Encoding: chunked must be the last coding, applied once.
   *
   * @param alreadyChunked whether an earlier Transfer-Encoding line applied chunked
   * @return whether this line's last coding is chunked
   */
  static boolean lastCodingIsChunked(String value, boolean alreadyChunked)
      throws HttpParseException {
    boolean chunked = alreadyChunked;
    boolean lastIsChunked = false;
    for (String part : value.split(",")) {
      String coding = part.trim().toLowerCase(Locale.ROOT);
      if (coding.isEmpty()) {
        continue;
      }
      if (coding.equals("chunked")) {
        if (chunked) {
          throw HttpParseException.malformed("chunked applied more than once in Transfer-Encoding");
        }
        chunked = true;
        lastIsChunked = true;
      } else {
        if (chunked) {
          throw HttpParseException.malformed(
              "Transfer-Encoding coding after chunked: '" + value + "'");
        }
        lastIsChunked = false;
      }
    }
    return lastIsChunked;
  }

  /**
   * Node's hint: {@code /^timeout=(\d+)/} on the (combined) {@code Keep-Alive} value.
   *
   * @return the hinted seconds (saturated for absurd values), or -1 when there is no such hint
   */
  static long keepAliveTimeoutSeconds(String keepAliveHeader) {
    if (keepAliveHeader == null || !keepAliveHeader.startsWith("timeout=")) {
      return -1;
    }
    int end = 8;
    while (end < keepAliveHeader.length() && Character.isDigit(keepAliveHeader.charAt(end))) {
      end++;
    }
    if (end == 8) {
      return -1;
    }
    String digits = keepAliveHeader.substring(8, end);
    return digits.length() > 15 ? Long.MAX_VALUE / 1000 : Long.parseLong(digits);
  }

  static boolean isOws(byte b) {
    return b == ' ' || b == '\t';
  }

  static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  static boolean isCtl(byte b) {
    return (b >= 0 && b < 0x20) || b == 0x7f;
  }

  /** RFC 9110 tchar. */
  static boolean isTchar(byte b) {
    if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
      return true;
    }
    return b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }

  /** Printable ASCII of {@code b[from, to)}, '?' for anything else: for error messages. */
  static String text(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
    }
    return sb.toString();
  }
}
