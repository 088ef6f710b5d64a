package dev.keepalive.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The control routes: {@code GET /stats} (the counters as JSON) and {@code POST /stats/reset} (a
 * new counting period, 204). They are not counted and carry no {@code X-} headers.
 *
 * <p>They answer only a request whose {@code Host} names this server: {@code localhost}, the
 * address it was asked to bind, or the address the client connected to, each with the listener's
 * port (the port may be left out only when it is 80). Anything else is 403. A web page the user
 * visits can make the browser send requests to a local port, but with its own name in {@code Host}
 * (DNS rebinding, CSRF): it cannot read or reset the counters in the middle of a benchmark.
 *
 * <p>Thread-safety: IO threads (see the package); stateless apart from the server's counters.
 */
final class ControlRoutes {

  private final HarnessServer server;
  private final Replies replies;

  ControlRoutes(HarnessServer server, Replies replies) {
    this.server = server;
    this.replies = replies;
  }

  static boolean matches(String path) {
    return path.equals("/stats") || path.equals("/stats/reset");
  }

  void handle(HttpServerExchange exchange, String path) {
    String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
    if (!hostIsOurs(host, exchange.getDestinationAddress(), server.options().host())) {
      replies.text(
          exchange,
          403,
          "control routes answer only a Host naming this server (localhost:"
              + exchange.getDestinationAddress().getPort()
              + "), not "
              + (host == null ? "no Host" : "'" + host + "'"));
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    if (path.equals("/stats/reset")) {
      if (!exchange.getRequestMethod().equals(Methods.POST)) {
        replies.methodNotAllowed(exchange, "POST");
        return;
      }
      server.resetStats();
      exchange.setStatusCode(204);
      exchange.endExchange();
      return;
    }
    if (!exchange.getRequestMethod().equals(Methods.GET)
        && !exchange.getRequestMethod().equals(Methods.HEAD)) {
      replies.methodNotAllowed(exchange, "GET, HEAD");
      return;
    }
    replies.send(
        exchange,
        ByteBuffer.wrap((server.stats().toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  /** The address an IPv6 literal spells, or null when it spells none (no name lookup is made). */
  private static InetAddress ipv6Literal(String text) {
    try {
      // in brackets, InetAddress takes only a literal and never asks DNS
      return InetAddress.getByName("[" + text + "]");
    } catch (UnknownHostException e) {
      return null; // not an address at all, so not this server's
    }
  }

  /**
   * True when {@code host} (a Host header value, or null) names this listener: {@code localhost},
   * {@code boundHost} or the address of {@code local}, with {@code local}'s port.
   */
  static boolean hostIsOurs(String host, InetSocketAddress local, String boundHost) {
    if (host == null) {
      return false;
    }
    String name;
    String port;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        return false;
      }
      name = host.substring(1, close);
      String rest = host.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        return false;
      }
      port = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = host.lastIndexOf(':');
      name = colon < 0 ? host : host.substring(0, colon);
      port = colon < 0 ? null : host.substring(colon + 1);
    }
    boolean portIsOurs =
        port == null ? local.getPort() == 80 : port.equals(String.valueOf(local.getPort()));
    return portIsOurs && nameIsOurs(name.toLowerCase(Locale.ROOT), local.getAddress(), boundHost);
  }

  private static boolean nameIsOurs(String name, InetAddress local, String boundHost) {
    String bound =
        boundHost.startsWith("[") ? boundHost.substring(1, boundHost.length() - 1) : boundHost;
    if (name.equals("localhost") || name.equalsIgnoreCase(bound)) {
      return true;
    }
    if (name.contains(":")) {
      // an IPv6 literal (a name has no colon): compare addresses, not spellings
      InetAddress literal = ipv6Literal(name);
      return literal != null
          && (literal.equals(local) || (bound.contains(":") && literal.equals(ipv6Literal(bound))));
    }
    return name.equals(local.getHostAddress());
  }
}
