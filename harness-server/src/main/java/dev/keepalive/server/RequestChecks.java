package dev.keepalive.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every request must pass before a route sees it: the rules of RFC 9110 and RFC 9112 that
 * Undertow's parser leaves to the application. (Undertow itself refuses malformed request lines and
 * header fields, a missing or repeated {@code Host}, repeated {@code Content-Length}, and {@code
 * Content-Length} with {@code Transfer-Encoding}.) A refused request is answered with its status
 * and a one-line reason, and its connection is closed: the body that follows is not read.
 *
 * <ul>
 *   <li>A version other than HTTP/1.x: 505 (RFC 9110 section 15.6.6). A higher 1.x minor version
 *       ({@code HTTP/1.2}) is served as HTTP/1.1, as RFC 9110 section 2.5 asks.
 *   <li>A method is case-sensitive (RFC 9110 section 9.1): a standard method in the wrong case
 *       ({@code get}) is 400; an unknown method is 501 (RFC 9110 section 15.6.2).
 *   <li>{@code Transfer-Encoding} whose final coding is not {@code chunked}: the body's length is
 *       unknown, 400 (RFC 9112 section 6.3); a coding before {@code chunked} that the server does
 *       not implement ({@code gzip, chunked}): 501 (RFC 9112 section 6.1).
 *   <li>A chunked body whose framing is broken in the bytes already received: 400 (a break found
 *       later, while a route reads the body, is answered by the {@link ConnectionWatch}).
 * </ul>
 *
 * <p>Thread-safety: stateless.
 */
final class RequestChecks {

  /** The methods of RFC 9110 section 9 and PATCH (RFC 5789). */
  static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  /** A request the server will not serve: the status and its one-line reason. */
  record Refusal(int status, String reason) {}

  private RequestChecks() {}

  /** Null when the request may go on to its route. */
  static Refusal check(HttpServerExchange exchange, ConnectionWatch watch) {
    String version = watch.requestVersion();
    if (version != null
        && version.length() == 8
        && version.startsWith("HTTP/")
        && version.charAt(5) != '1') {
      return new Refusal(505, version + " is not supported; this server speaks HTTP/1.1");
    }
    String method = exchange.getRequestMethod().toString();
    if (!METHODS.contains(method)) {
      String upper = method.toUpperCase(Locale.ROOT);
      if (METHODS.contains(upper)) {
        return new Refusal(
            400, "method '" + method + "' is not " + upper + ": methods are case-sensitive");
      }
      return new Refusal(501, "method '" + method + "' is not implemented");
    }
    Refusal coding = transferCoding(exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING));
    if (coding != null) {
      return coding;
    }
    String framing = watch.chunkedProblem();
    if (framing != null) {
      return new Refusal(400, "malformed chunked body: " + framing);
    }
    return null;
  }

  private static Refusal transferCoding(HeaderValues values) {
    if (values == null) {
      return null;
    }
    List<String> codings = new ArrayList<>();
    for (String value : values) {
      for (String coding : value.split(",", -1)) {
        codings.add(coding.trim().toLowerCase(Locale.ROOT));
      }
    }
    String last = codings.get(codings.size() - 1);
    if (!last.equals("chunked")) {
      return new Refusal(
          400,
          "Transfer-Encoding '"
              + String.join(", ", codings)
              + "' does not end in chunked, so the body's length is unknown");
    }
    for (String coding : codings.subList(0, codings.size() - 1)) {
      if (coding.equals("chunked") || coding.isEmpty()) {
        return new Refusal(
            400, "Transfer-Encoding '" + String.join(", ", codings) + "' is malformed");
      }
      return new Refusal(501, "transfer coding '" + coding + "' is not implemented");
    }
    return null;
  }
}
