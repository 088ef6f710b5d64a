package dev.keepalive.server;

import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How every route answers: the shared response headers ({@code Content-Type}, the {@code
 * Keep-Alive} hint), one-line text replies, and the two ways of refusing a request.
 *
 * <p>Thread-safety: immutable (see the package).
 */
final class Replies {

  private final String keepAliveHint;

  Replies(ServerOptions options) {
    int hint = options.keepAliveHintSeconds();
    this.keepAliveHint = hint > 0 ? "timeout=" + hint : null;
  }

  static void closeAfterResponse(HttpServerExchange exchange) {
    exchange.setPersistent(false);
    exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
  }

  void finishHeaders(HttpServerExchange exchange) {
    if (keepAliveHint != null && exchange.isPersistent()) {
      exchange.getResponseHeaders().put(Headers.KEEP_ALIVE, keepAliveHint);
    }
    if (!exchange.getResponseHeaders().contains(Headers.CONTENT_TYPE)) {
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
    }
  }

  void send(HttpServerExchange exchange, ByteBuffer body) {
    exchange.setResponseContentLength(body.remaining());
    finishHeaders(exchange);
    exchange.getResponseSender().send(body);
  }

  void send(HttpServerExchange exchange, ByteBuffer[] body, long length) {
    exchange.setResponseContentLength(length);
    finishHeaders(exchange);
    exchange.getResponseSender().send(body);
  }

  /** {@code status} with one line of text. */
  void text(HttpServerExchange exchange, int status, String line) {
    exchange.setStatusCode(status);
    send(exchange, ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  void methodNotAllowed(HttpServerExchange exchange, String allow) {
    exchange.getResponseHeaders().put(Headers.ALLOW, allow);
    text(exchange, 405, exchange.getRequestMethod() + " not allowed; use " + allow);
  }

  /**
   * Refuses a request whose body is well framed: answers at once, and Undertow then reads and drops
   * the rest of the body, after which the connection serves the next request. (A {@code Connection:
   * close} answer would make Undertow shut the connection's read side with the body unread: a reset
   * that can destroy the answer.) A client that sent {@code Expect: 100-continue} has not sent the
   * body and will not: the connection closes instead.
   */
  void refuseThenDrain(
      HttpServerExchange exchange, ConnectionWatch watch, int status, String reason) {
    if (HttpContinue.requiresContinueResponse(exchange)) {
      refuseAndClose(exchange, watch, status, reason);
    } else {
      text(exchange, status, reason);
    }
  }

  /**
   * Refuses a request whose body cannot be read (its framing is unknown or broken, or it stopped
   * arriving): answers, then closes without reading the body; the client's further bytes are
   * dropped until it closes (see {@link ConnectionWatch#closing()}).
   */
  void refuseAndClose(
      HttpServerExchange exchange, ConnectionWatch watch, int status, String reason) {
    watch.closing();
    Connectors.terminateRequest(exchange);
    closeAfterResponse(exchange);
    text(exchange, status, reason);
  }
}
