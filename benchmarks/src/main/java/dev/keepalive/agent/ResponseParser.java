package dev.keepalive.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Incremental HTTP/1.1 response parser (RFC 9112), fed whatever bytes the socket delivers. Handles
 * the status line, headers (bounded by {@code maxHeaderBytes}), Content-Length, chunked bodies with
 * extensions and trailers, close-delimited bodies, skipped 1xx responses, bodiless responses (HEAD,
 * 204, 304) and HTTP/1.0 keep-alive rules. It decides whether the connection may carry another
 * request ({@link #keepAlive()}): never after anything irregular.
 *
 * <p>Strict where framing is at stake: two different Content-Lengths, a bad chunk size or chunk
 * delimiter, whitespace before a header's colon, obs-fold, control characters in a header, a
 * malformed status line, or an unexpected 101 all fail with {@link HttpParseException}, the only
 * exception it throws. Content-Length together with Transfer-Encoding is decoded as chunked and the
 * connection is never reused.
 *
 * <p>Thread-safety: none; one parser per connection, used by that connection's event loop.
 */
final class ResponseParser {

  /** Receives the parts of one response. */
  interface Handler {
    /** The final (non-1xx) response head. */
    void onHead(int status, String reason, List<Header> headers);

    /** Body bytes, decoded: the handler consumes all remaining bytes of {@code data}. */
    void onBody(ByteBuffer data);
  }

  private enum State {
    STATUS_LINE,
    HEADERS,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_DATA_END,
    TRAILERS,
    UNTIL_EOF,
    DONE
  }

  private static final int MAX_CHUNK_SIZE_HEX_DIGITS = 15;

  private final int maxHeaderBytes;
  private final byte[] line;
  private int lineLength;
  private int headBytes;

  private State state = State.DONE;
  private boolean headRequest;
  private boolean started;
  private int version; // 0 = HTTP/1.0, 1 = HTTP/1.1
  private int status;
  private String reason;
  private List<Header> headers;
  private long remaining;
  private boolean keepAlive;
  private String keepAliveHeader;

  ResponseParser(int maxHeaderBytes) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.line = new byte[maxHeaderBytes];
  }

  /** Prepares for the response to the next request; HEAD responses have no body. */
  void begin(boolean headRequest) {
    this.headRequest = headRequest;
    this.state = State.STATUS_LINE;
    this.started = false;
    this.lineLength = 0;
    this.headBytes = 0;
    this.keepAlive = false;
    this.keepAliveHeader = null;
    this.headers = null;
  }

  /** Whether any byte of the current response has arrived. */
  boolean started() {
    return started;
  }

  boolean complete() {
    return state == State.DONE;
  }

  /** After completion: whether the connection may carry another request. */
  boolean keepAlive() {
    return keepAlive;
  }

  /**
   * The response's {@code Keep-Alive} header (Node's {@code res.headers['keep-alive']}), or null.
   */
  String keepAliveHeader() {
    return keepAliveHeader;
  }

  /**
   * Consumes bytes of the current response from {@code in}.
   *
   * @return true when the response is complete; bytes after it stay in {@code in}
   * @throws HttpParseException when the bytes break HTTP/1.1 or a limit
   */
  boolean feed(ByteBuffer in, Handler handler) throws HttpParseException {
    if (in.hasRemaining()) {
      started = true;
    }
    while (state != State.DONE && in.hasRemaining()) {
      switch (state) {
        case STATUS_LINE, HEADERS, TRAILERS, CHUNK_SIZE -> {
          if (readLine(in)) {
            onLine(handler);
          }
        }
        case FIXED_BODY, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, in.remaining());
          deliver(in, n, handler);
          remaining -= n;
          if (remaining == 0) {
            state = state == State.FIXED_BODY ? State.DONE : State.CHUNK_DATA_END;
          }
        }
        case CHUNK_DATA_END -> {
          // exactly CRLF (or a lone LF); lineLength marks a CR already seen
          byte b = in.get();
          if (b == '\n') {
            lineLength = 0;
            headBytes = 0;
            state = State.CHUNK_SIZE;
          } else if (b == '\r' && lineLength == 0) {
            lineLength = 1;
          } else {
            throw HttpParseException.malformed("chunk data not followed by CRLF");
          }
        }
        case UNTIL_EOF -> deliver(in, in.remaining(), handler);
        case DONE -> throw new AssertionError();
      }
    }
    return state == State.DONE;
  }

  /**
   * The connection reached EOF.
   *
   * @return true if that completed the response (a close-delimited body); false if the response was
   *     cut short
   */
  boolean eof() {
    if (state == State.UNTIL_EOF) {
      state = State.DONE;
      keepAlive = false;
      return true;
    }
    return state == State.DONE;
  }

  private static void deliver(ByteBuffer in, int n, Handler handler) {
    int limit = in.limit();
    int end = in.position() + n;
    in.limit(end);
    handler.onBody(in);
    in.limit(limit);
    in.position(end);
  }

  /** Accumulates one line; true when it is complete (without its CRLF or LF). */
  private boolean readLine(ByteBuffer in) throws HttpParseException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (++headBytes > maxHeaderBytes) {
        throw HttpParseException.tooLarge(
            (state == State.CHUNK_SIZE
                    ? "chunk-size line"
                    : state == State.TRAILERS ? "trailer section" : "response head")
                + " exceeds maxHeaderBytes "
                + maxHeaderBytes);
      }
      if (b == '\n') {
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
          lineLength--;
        }
        return true;
      }
      if (lineLength > 0 && line[lineLength - 1] == '\r') {
        throw HttpParseException.malformed("bare CR in " + describeState());
      }
      line[lineLength++] = b;
    }
    return false;
  }

  private String describeState() {
    return switch (state) {
      case STATUS_LINE -> "status line";
      case CHUNK_SIZE, CHUNK_DATA_END -> "chunk framing";
      case TRAILERS -> "trailers";
      default -> "headers";
    };
  }

  private void onLine(Handler handler) throws HttpParseException {
    int len = lineLength;
    lineLength = 0;
    switch (state) {
      case STATUS_LINE -> {
        parseStatusLine(len);
        headers = new ArrayList<>(8);
        state = State.HEADERS;
      }
      case HEADERS -> {
        if (len == 0) {
          endOfHead(handler);
        } else {
          headers.add(parseHeader(len));
        }
      }
      case TRAILERS -> {
        if (len == 0) {
          state = State.DONE;
        } else {
          parseHeader(len); // validated, then dropped
        }
      }
      case CHUNK_SIZE -> parseChunkSize(len);
      default -> throw new AssertionError(state);
    }
  }

  private void parseStatusLine(int len) throws HttpParseException {
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (len < 12
        || !startsWith("HTTP/1.")
        || (line[7] != '0' && line[7] != '1')
        || line[8] != ' '
        || !isDigit(line[9])
        || !isDigit(line[10])
        || !isDigit(line[11])
        || (len > 12 && line[12] != ' ')) {
      throw HttpParseException.malformed("bad status line '" + printable(len) + "'");
    }
    version = line[7] - '0';
    status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 100 || status > 599) {
      throw HttpParseException.malformed("status code out of range: " + status);
    }
    for (int i = 13; i < len; i++) {
      if (isCtl(line[i]) && line[i] != '\t') {
        throw HttpParseException.malformed("control character in reason phrase");
      }
    }
    reason = len > 13 ? new String(line, 13, len - 13, StandardCharsets.ISO_8859_1) : "";
  }

  private Header parseHeader(int len) throws HttpParseException {
    if (line[0] == ' ' || line[0] == '\t') {
      throw HttpParseException.malformed("obsolete line folding in header section");
    }
    int colon = -1;
    for (int i = 0; i < len; i++) {
      byte b = line[i];
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
                + printable(Math.min(len, 64))
                + "'");
      }
    }
    if (colon <= 0) {
      throw HttpParseException.malformed(
          "header line without a name and colon: '" + printable(Math.min(len, 64)) + "'");
    }
    int start = colon + 1;
    int end = len;
    while (start < end && (line[start] == ' ' || line[start] == '\t')) {
      start++;
    }
    while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
      end--;
    }
    for (int i = start; i < end; i++) {
      if (isCtl(line[i]) && line[i] != '\t') {
        throw HttpParseException.malformed(
            "control character 0x" + Integer.toHexString(line[i] & 0xff) + " in header value");
      }
    }
    return new Header(
        new String(line, 0, colon, StandardCharsets.ISO_8859_1),
        new String(line, start, end - start, StandardCharsets.ISO_8859_1));
  }

  private void endOfHead(Handler handler) throws HttpParseException {
    if (status >= 100 && status < 200) {
      if (status == 101) {
        throw HttpParseException.malformed(
            "unexpected 101 Switching Protocols: no upgrade was asked for");
      }
      // interim response: skip it, parse the next head
      state = State.STATUS_LINE;
      headBytes = 0;
      return;
    }
    long contentLength = -1;
    boolean chunked = false;
    boolean transferEncoding = false;
    boolean close = false;
    boolean keepAliveToken = false;
    for (Header h : headers) {
      String name = h.name();
      if (name.equalsIgnoreCase("content-length")) {
        long value = parseContentLength(h.value());
        if (contentLength >= 0 && contentLength != value) {
          throw HttpParseException.malformed(
              "conflicting Content-Length values " + contentLength + " and " + value);
        }
        contentLength = value;
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        transferEncoding = true;
        chunked = lastCodingIsChunked(h.value(), chunked);
      } else if (name.equalsIgnoreCase("connection")) {
        for (String token : h.value().split(",")) {
          String t = token.trim().toLowerCase(Locale.ROOT);
          close |= t.equals("close");
          keepAliveToken |= t.equals("keep-alive");
        }
      } else if (name.equalsIgnoreCase("keep-alive")) {
        keepAliveHeader = keepAliveHeader == null ? h.value() : keepAliveHeader + ", " + h.value();
      }
    }
    keepAlive = version == 1 ? !close : keepAliveToken && !close;
    handler.onHead(status, reason, headers);
    if (headRequest || status == 204 || status == 304) {
      state = State.DONE;
    } else if (transferEncoding) {
      if (contentLength >= 0) {
        keepAlive = false; // request smuggling territory: decode as chunked, never reuse
      }
      if (chunked) {
        state = State.CHUNK_SIZE;
        headBytes = 0;
      } else {
        state = State.UNTIL_EOF;
        keepAlive = false;
      }
    } else if (contentLength >= 0) {
      remaining = contentLength;
      state = contentLength == 0 ? State.DONE : State.FIXED_BODY;
    } else {
      state = State.UNTIL_EOF;
      keepAlive = false;
    }
  }

  private static long parseContentLength(String value) throws HttpParseException {
    long result = -1;
    for (String part : value.split(",", -1)) {
      String p = part.trim();
      if (p.isEmpty() || p.length() > 18) {
        throw HttpParseException.malformed("invalid Content-Length '" + value + "'");
      }
      long v = 0;
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < '0' || c > '9') {
          throw HttpParseException.malformed("invalid Content-Length '" + value + "'");
        }
        v = v * 10 + (c - '0');
      }
      if (result >= 0 && result != v) {
        throw HttpParseException.malformed("conflicting Content-Length values in '" + value + "'");
      }
      result = v;
    }
    return result;
  }

  /** Transfer-Encoding: chunked must be the last coding, applied once. */
  private static boolean lastCodingIsChunked(String value, boolean alreadyChunked)
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

  private void parseChunkSize(int len) throws HttpParseException {
    long size = 0;
    int digits = 0;
    int i = 0;
    for (; i < len; i++) {
      int d = Character.digit(line[i], 16);
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
      throw HttpParseException.malformed(
          "invalid chunk size '" + printable(Math.min(len, 32)) + "'");
    }
    while (i < len && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    if (i < len && line[i] != ';') {
      throw HttpParseException.malformed(
          "invalid chunk size '" + printable(Math.min(len, 32)) + "'");
    }
    for (; i < len; i++) {
      if (isCtl(line[i]) && line[i] != '\t') {
        throw HttpParseException.malformed("control character in chunk extension");
      }
    }
    headBytes = 0;
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
  }

  private boolean startsWith(String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (line[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String printable(int len) {
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      int c = line[i] & 0xff;
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
    }
    return sb.toString();
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isCtl(byte b) {
    return (b >= 0 && b < 0x20) || b == 0x7f;
  }

  /** RFC 9110 tchar. */
  private static boolean isTchar(byte b) {
    if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
      return true;
    }
    return b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }
}
