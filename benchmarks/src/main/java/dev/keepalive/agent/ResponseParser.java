package dev.keepalive.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental HTTP/1.1 response parser (RFC 9112), fed whatever bytes the socket delivers. Handles
 * the status line, headers (bounded by {@code maxHeaderBytes}), Content-Length, chunked bodies with
 * extensions and trailers, close-delimited bodies, skipped 1xx responses, bodiless responses (HEAD,
 * 204, 304) and HTTP/1.0 keep-alive rules. It decides whether the connection may carry another
 * request ({@link #keepAlive()}): never after anything irregular.
 *
 * <p>Strict where framing is at stake: two different Content-Lengths, a bad chunk size or chunk
 * delimiter, whitespace before a header's colon, control characters in a header, a malformed status
 * line, or an unexpected 101 all fail with {@link HttpParseException}, the only exception it
 * throws. Content-Length together with Transfer-Encoding is decoded as chunked and the connection
 * is never reused. Obsolete line folding (RFC 9112 §5.2) is accepted and each fold replaced by one
 * space before the value is interpreted, except in {@code Content-Length} and {@code
 * Transfer-Encoding}, where a fold stays malformed: a framing value must not depend on how a
 * recipient unfolds it.
 *
 * <p>Thread-safety: none; one parser per connection, used by that connection's event loop.
 */
final class ResponseParser {

  /** Receives the parts of one response. */
  interface Handler {
    /** The final (non-1xx) response head: status code, and the head's validated bytes. */
    void onHead(int status, ResponseHead head);

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

  /** The head buffer's first size: a typical response head fits. */
  static final int INITIAL_BUFFER_BYTES = 512;

  private final int maxHeaderBytes;

  /**
   * In the head: the status line and header lines so far, each ended by '\n', then the line being
   * read; elsewhere only the line being read (chunk size, trailer). It starts small and grows up to
   * {@code maxHeaderBytes} as a long head needs it: an agent holding 10,000 connections does not
   * hold 10,000 × 16 KiB for heads of a few hundred bytes.
   */
  private byte[] buf;

  private int lineStart;
  private int lineLength;
  private int headBytes;

  private State state = State.DONE;
  private boolean headRequest;
  private boolean started;
  private int version; // 0 = HTTP/1.0, 1 = HTTP/1.1
  private int status;
  private long remaining;
  private boolean keepAlive;
  private String keepAliveHeader;
  // framing facts of the head being read
  private long contentLength;
  private boolean transferEncoding;
  private boolean chunked;
  private int connectionTokens;
  // the header line being read, kept until the next line shows whether it continues (obs-fold)
  private int headerStart = -1;
  private int headerColon;
  private int headerEnd;

  ResponseParser(int maxHeaderBytes) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.buf = new byte[Math.min(maxHeaderBytes, INITIAL_BUFFER_BYTES)];
  }

  /** Prepares for the response to the next request; HEAD responses have no body. */
  void begin(boolean headRequest) {
    this.headRequest = headRequest;
    this.state = State.STATUS_LINE;
    this.started = false;
    this.keepAlive = false;
    this.keepAliveHeader = null;
    startHead();
  }

  private void startHead() {
    lineStart = 0;
    lineLength = 0;
    headBytes = 0;
    contentLength = -1;
    transferEncoding = false;
    chunked = false;
    connectionTokens = 0;
    headerStart = -1;
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
   * The response's {@code Keep-Alive} header (Node's {@code res.headers['keep-alive']}, several
   * joined with ", "), or null.
   */
  String keepAliveHeader() {
    return keepAliveHeader;
  }

  /**
   * Node's keep-alive hint of the current response: N of {@code Keep-Alive: timeout=N} at the start
   * of the value, in seconds; -1 when there is none.
   */
  long keepAliveTimeoutSeconds() {
    return HeaderRules.keepAliveTimeoutSeconds(keepAliveHeader);
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
      int last = lineStart + lineLength - 1;
      if (b == '\n') {
        if (lineLength > 0 && buf[last] == '\r') {
          lineLength--;
        }
        return true;
      }
      if (lineLength > 0 && buf[last] == '\r') {
        throw HttpParseException.malformed("bare CR in " + describeState());
      }
      int at = lineStart + lineLength++;
      room(at);
      buf[at] = b;
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
    int from = lineStart;
    int to = lineStart + lineLength;
    lineLength = 0;
    switch (state) {
      case STATUS_LINE -> {
        parseStatusLine(from, to);
        keepLine(to);
        state = State.HEADERS;
      }
      case HEADERS -> {
        if (from == to) {
          finishHeader();
          endOfHead(handler);
        } else if (HeaderRules.isOws(buf[from])) {
          unfold(from, to);
        } else {
          finishHeader();
          headerColon = HeaderRules.headerColon(buf, from, to);
          headerStart = from;
          headerEnd = to;
          keepLine(to);
        }
      }
      case TRAILERS -> {
        if (from == to) {
          state = State.DONE;
        } else if (HeaderRules.isOws(buf[from])) {
          if (headerStart < 0) {
            throw HttpParseException.malformed("obsolete line folding before the first trailer");
          }
          HeaderRules.checkValue(buf, from, to); // a folded trailer: validated, then dropped
        } else {
          HeaderRules.headerColon(buf, from, to); // validated, then dropped
          headerStart = from;
        }
      }
      case CHUNK_SIZE -> parseChunkSize(from, to);
      default -> throw new AssertionError(state);
    }
  }

  /** Grows {@code buf} to hold index {@code at} (below maxHeaderBytes: readLine counted it). */
  private void room(int at) {
    if (at >= buf.length) {
      buf = Arrays.copyOf(buf, Math.min(maxHeaderBytes, Math.max(at + 1, 2 * buf.length)));
    }
  }

  /** Keeps a head line in {@code buf}, ended by '\n': the next line starts after it. */
  private void keepLine(int to) {
    room(to);
    buf[to] = '\n';
    lineStart = to + 1;
  }

  private void parseStatusLine(int from, int to) throws HttpParseException {
    status = HeaderRules.statusCode(buf, from, to);
    version = buf[from + 7] - '0';
  }

  /**
   * An obs-fold line (RFC 9112 §5.2) continues the header before it. Malformed before the first
   * header and in a framing header.
   */
  private void unfold(int from, int to) throws HttpParseException {
    if (headerStart < 0) {
      throw HttpParseException.malformed("obsolete line folding before the first header");
    }
    if (HeaderRules.isFramingHeader(buf, headerStart, headerColon)) {
      throw HttpParseException.malformed(
          "obsolete line folding in "
              + HeaderRules.text(buf, headerStart, headerColon)
              + ", a framing header");
    }
    headerEnd = HeaderRules.unfold(buf, headerColon + 1, headerEnd, from, to);
    keepLine(headerEnd);
  }

  /** The header line read last is complete: note what it says about framing and reuse. */
  private void finishHeader() throws HttpParseException {
    if (headerStart < 0) {
      return;
    }
    int start = headerColon + 1;
    int end = headerEnd;
    while (start < end && HeaderRules.isOws(buf[start])) {
      start++;
    }
    while (end > start && HeaderRules.isOws(buf[end - 1])) {
      end--;
    }
    noteFraming(headerStart, headerColon, start, end);
    headerStart = -1;
  }

  private void noteFraming(int name, int colon, int start, int end) throws HttpParseException {
    byte[] l = buf;
    if (ResponseHead.nameEquals(l, name, colon, "content-length")) {
      long value = HeaderRules.contentLength(l, start, end);
      if (contentLength >= 0 && contentLength != value) {
        throw HttpParseException.malformed(
            "conflicting Content-Length values " + contentLength + " and " + value);
      }
      contentLength = value;
    } else if (ResponseHead.nameEquals(l, name, colon, "transfer-encoding")) {
      transferEncoding = true;
      chunked = HeaderRules.lastCodingIsChunked(latin1(start, end), chunked);
    } else if (ResponseHead.nameEquals(l, name, colon, "connection")) {
      connectionTokens |= HeaderRules.connectionTokens(l, start, end);
    } else if (ResponseHead.nameEquals(l, name, colon, "keep-alive")) {
      String v = latin1(start, end);
      keepAliveHeader = keepAliveHeader == null ? v : keepAliveHeader + ", " + v;
    }
  }

  private String latin1(int from, int to) {
    return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private void endOfHead(Handler handler) throws HttpParseException {
    if (status >= 100 && status < 200) {
      if (status == 101) {
        throw HttpParseException.malformed(
            "unexpected 101 Switching Protocols: no upgrade was asked for");
      }
      // interim response: skip it, parse the next head
      state = State.STATUS_LINE;
      keepAliveHeader = null;
      startHead();
      return;
    }
    boolean close = (connectionTokens & HeaderRules.CONNECTION_CLOSE) != 0;
    boolean keepAliveToken = (connectionTokens & HeaderRules.CONNECTION_KEEP_ALIVE) != 0;
    keepAlive = version == 1 ? !close : keepAliveToken && !close;
    handler.onHead(status, new ResponseHead(Arrays.copyOf(buf, lineStart)));
    lineStart = 0;
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

  private void parseChunkSize(int from, int to) throws HttpParseException {
    long size = HeaderRules.chunkSize(buf, from, to);
    headBytes = 0;
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
  }
}
