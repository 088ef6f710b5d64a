package dev.keepalive.server;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * The routes of the harness server (GET and HEAD unless noted):
 *
 * <ul>
 *   <li>{@code /} → 200, the 13-byte body {@code Hello, World!}
 *   <li>{@code /bytes/{n}} → n bytes with Content-Length; {@code /chunked/{n}} → n bytes, chunked
 *       in pieces of at most 8 KiB ({@code /chunked/0} goes out as {@code Content-Length: 0}:
 *       Undertow's chunked encoder replaces an empty chunked body by that, on purpose)
 *   <li>{@code /delay/{ms}} → {@code Hello, World!} after ms, without blocking an IO thread
 *   <li>{@code /close} → answers with {@code Connection: close}, then closes
 *   <li>{@code /drop} → closes the connection without any response
 *   <li>{@code GET /abort/{n}} (n ≥ 2) → declares Content-Length n, sends about half (at least one
 *       byte, and at least one short), closes. HEAD is 405: a HEAD response has no body to cut.
 *   <li>{@code POST /echo} → echoes the body ({@link Echo}: bounded, 413/503 with a reason)
 *   <li>{@code /headers} → the request's headers as the server received them, one {@code name:
 *       value} per line
 *   <li>{@code /tls} → the connection's TLS as the server sees it: {@code protocol}, {@code
 *       cipher}, {@code sni} (the name the client asked for, or none), one {@code name: value} per
 *       line; {@code protocol: none} on plain HTTP
 *   <li>{@code GET /stats} → JSON snapshot; {@code POST /stats/reset} → resets the counters (204):
 *       control routes ({@link ControlRoutes}), for a {@code Host} naming this server only
 * </ul>
 *
 * Every other path is 404; a malformed number or a size over the cap is 400 with a one-line reason.
 * Before any route, {@link RequestChecks} refuses what HTTP/1.1 does not allow (505, 400, 501).
 * Every counted response carries {@code X-Client-Port} (the peer port the server saw) and {@code
 * X-Connection-Requests} (this request's 1-based index on its connection). The control routes are
 * not counted and carry neither header.
 *
 * <p>Thread-safety: IO threads (see the package): one instance per listener; stateless apart from
 * the listener's thread-safe counters.
 */
final class Routes implements HttpHandler {

  static final HttpString X_CLIENT_PORT = HttpString.tryFromString("X-Client-Port");
  static final HttpString X_CONNECTION_REQUESTS = HttpString.tryFromString("X-Connection-Requests");
  static final String HELLO = "Hello, World!";
  static final long MAX_DELAY_MILLIS = 600_000;

  private static final ByteBuffer HELLO_BYTES =
      ByteBuffer.wrap(HELLO.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
  private static final int BLOCK = 64 * 1024;
  private static final ByteBuffer DATA = patternBlock();

  private final ListenerCounters counters;
  private final int maxRequestsPerConnection;
  private final Replies replies;
  private final ControlRoutes control;
  private final EchoBudget echoBudget;

  Routes(
      ServerOptions options,
      ListenerCounters counters,
      Replies replies,
      ControlRoutes control,
      EchoBudget echoBudget) {
    this.counters = counters;
    this.maxRequestsPerConnection = options.maxRequestsPerConnection();
    this.replies = replies;
    this.control = control;
    this.echoBudget = echoBudget;
  }

  /** The body bytes of {@code /bytes/n} and {@code /chunked/n}: byte i is {@code 'a' + i % 26}. */
  public static byte patternByte(long i) {
    return (byte) ('a' + (int) (i % 26));
  }

  private static ByteBuffer patternBlock() {
    byte[] b = new byte[BLOCK + 26];
    for (int i = 0; i < b.length; i++) {
      b[i] = patternByte(i);
    }
    return ByteBuffer.wrap(b).asReadOnlyBuffer();
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ConnectionWatch watch = ConnectionWatch.of(exchange);
    watch.requestStarted(exchange);
    String path = exchange.getRelativePath();
    boolean controlRoute = ControlRoutes.matches(path);
    if (!controlRoute) {
      long index = counters.onRequest(exchange.getConnection());
      exchange.getResponseHeaders().put(X_CLIENT_PORT, exchange.getSourceAddress().getPort());
      exchange.getResponseHeaders().put(X_CONNECTION_REQUESTS, index);
      if (maxRequestsPerConnection > 0 && index >= maxRequestsPerConnection) {
        Replies.closeAfterResponse(exchange);
      }
    }
    RequestChecks.Refusal refusal = RequestChecks.check(exchange, watch);
    if (refusal != null) {
      replies.refuseAndClose(exchange, watch, refusal.status(), refusal.reason());
    } else if (controlRoute) {
      control.handle(exchange, path);
    } else {
      try {
        route(exchange, path, watch);
      } catch (BadRequest e) {
        replies.text(exchange, 400, e.getMessage());
      }
    }
  }

  private void route(HttpServerExchange exchange, String path, ConnectionWatch watch)
      throws BadRequest {
    if (path.equals("/echo")) {
      if (!exchange.getRequestMethod().equals(Methods.POST)) {
        replies.methodNotAllowed(exchange, "POST");
        return;
      }
      Echo.handle(exchange, replies, echoBudget, watch);
      return;
    }
    String[] parts = path.split("/", -1);
    String route = parts.length > 1 ? parts[1] : "";
    boolean known =
        switch (route) {
          case "", "close", "drop", "headers", "tls" -> parts.length == 2;
          case "bytes", "chunked", "delay", "abort" -> parts.length == 3;
          default -> false;
        };
    if (!known) {
      replies.text(exchange, 404, "no route " + path);
      return;
    }
    if (route.equals("abort")) {
      if (!exchange.getRequestMethod().equals(Methods.GET)) {
        replies.methodNotAllowed(exchange, "GET");
        return;
      }
      abort(exchange, number(parts[2], "n", 2, HarnessServer.MAX_BODY_BYTES));
      return;
    }
    if (!exchange.getRequestMethod().equals(Methods.GET)
        && !exchange.getRequestMethod().equals(Methods.HEAD)) {
      replies.methodNotAllowed(exchange, "GET, HEAD");
      return;
    }
    switch (route) {
      case "" -> replies.send(exchange, HELLO_BYTES.duplicate());
      case "bytes" -> bytes(exchange, number(parts[2], "n", 0, HarnessServer.MAX_BODY_BYTES));
      case "chunked" -> chunked(exchange, number(parts[2], "n", 0, HarnessServer.MAX_BODY_BYTES));
      case "delay" -> delay(exchange, number(parts[2], "ms", 0, MAX_DELAY_MILLIS));
      case "close" -> {
        Replies.closeAfterResponse(exchange);
        replies.send(exchange, HELLO_BYTES.duplicate());
      }
      case "drop" ->
          exchange.dispatch(
              SameThreadExecutor.INSTANCE, () -> IoUtils.safeClose(exchange.getConnection()));
      case "headers" ->
          replies.send(
              exchange,
              ByteBuffer.wrap(requestHeaders(exchange).getBytes(StandardCharsets.ISO_8859_1)));
      case "tls" ->
          replies.send(
              exchange,
              ByteBuffer.wrap(TlsInfo.describe(exchange).getBytes(StandardCharsets.UTF_8)));
      default -> throw new AssertionError(route);
    }
  }

  private static String requestHeaders(HttpServerExchange exchange) {
    StringBuilder sb = new StringBuilder();
    for (io.undertow.util.HeaderValues values : exchange.getRequestHeaders()) {
      for (String v : values) {
        sb.append(values.getHeaderName()).append(": ").append(v).append('\n');
      }
    }
    return sb.toString();
  }

  private static long number(String text, String name, long min, long max) throws BadRequest {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadRequest(
          name + " must be a whole number in [" + min + ", " + max + "], was '" + text + "'");
    }
    if (value < min || value > max) {
      throw new BadRequest(name + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  private void bytes(HttpServerExchange exchange, long n) {
    exchange.setResponseContentLength(n);
    replies.finishHeaders(exchange);
    int blocks = (int) ((n + BLOCK - 1) / BLOCK);
    ByteBuffer[] body = new ByteBuffer[blocks];
    for (int i = 0; i < blocks; i++) {
      body[i] = slice(i * (long) BLOCK, (int) Math.min(BLOCK, n - i * (long) BLOCK));
    }
    exchange.getResponseSender().send(body);
  }

  /** Pattern bytes [offset, offset + length) as a view of the shared block. */
  private static ByteBuffer slice(long offset, int length) {
    int start = (int) (offset % 26);
    return DATA.duplicate().position(start).limit(start + length).slice();
  }

  private void chunked(HttpServerExchange exchange, long n) {
    exchange.getResponseHeaders().put(Headers.TRANSFER_ENCODING, "chunked");
    replies.finishHeaders(exchange);
    new ChunkWriter(n).next(exchange, exchange.getResponseSender());
  }

  /** Sends a chunked body in pieces of at most 8 KiB, one write per chunk. */
  private static final class ChunkWriter implements IoCallback {
    private static final int PIECE = 8 * 1024;
    private final long length;
    private long sent;

    ChunkWriter(long length) {
      this.length = length;
    }

    void next(HttpServerExchange exchange, Sender sender) {
      int piece = (int) Math.min(PIECE, length - sent);
      ByteBuffer buffer = slice(sent, piece);
      sent += piece;
      sender.send(buffer, this);
    }

    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
      if (sent < length) {
        next(exchange, sender);
      } else {
        // not IoCallback.END_EXCHANGE: for a body sent in one piece the sender would then switch
        // to Content-Length, and /chunked/0 must still be chunked
        exchange.endExchange();
      }
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
      IoUtils.safeClose(exchange.getConnection());
    }
  }

  private void delay(HttpServerExchange exchange, long millis) {
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () ->
            exchange
                .getIoThread()
                .executeAfter(
                    () -> replies.send(exchange, HELLO_BYTES.duplicate()),
                    millis,
                    TimeUnit.MILLISECONDS));
  }

  private void abort(HttpServerExchange exchange, long n) {
    exchange.setResponseContentLength(n);
    replies.finishHeaders(exchange);
    long half = n / 2;
    // Blocking on a worker thread: flush() guarantees the head and the half body left the server
    // before the connection is closed.
    exchange.dispatch(
        () -> {
          exchange.startBlocking();
          try {
            OutputStream out = exchange.getOutputStream();
            byte[] piece = new byte[(int) Math.min(half, BLOCK)];
            for (long written = 0; written < half; written += piece.length) {
              int len = (int) Math.min(piece.length, half - written);
              slice(written, len).get(piece, 0, len);
              out.write(piece, 0, len);
            }
            out.flush();
          } catch (IOException e) {
            // the client went away first: the connection is closed below either way
          } finally {
            IoUtils.safeClose(exchange.getConnection());
          }
        });
  }

  /** A request the server refuses with 400 and a one-line reason. */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
