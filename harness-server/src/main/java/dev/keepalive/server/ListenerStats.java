package dev.keepalive.server;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.SortedMap;

/**
 * Counters of one listener (or the total over all listeners) since the last reset.
 *
 * <p>Thread-safety: immutable (see the package).
 *
 * @param port the listener's port (0 for the total)
 * @param connectionsAccepted connections that sent at least one request
 * @param connectionsClosed of those, the ones closed since (by either side)
 * @param connectionsOpen a live gauge: connections open now
 * @param maxConnectionsOpen the highest {@code connectionsOpen} seen since the reset
 * @param requests requests received
 * @param requestsPerClosedConnection requests served on a connection → number of closed connections
 *     that served that many
 * @param connectionsOpenUnserved a live gauge: TCP connections open now on which no request has
 *     reached the routes yet (a client that connected and sent nothing, or half a request, is here
 *     and nowhere else)
 * @param connectionsClosedUnserved TCP connections closed since the reset on which no request ever
 *     reached the routes: the client left without a request, the request was malformed and refused
 *     by the HTTP parser, the idle timeout closed a connection that never sent anything, or the
 *     first request timed out while being read
 * @param requestReadTimeouts requests whose head or body stopped arriving for the request-read
 *     timeout ({@link ServerOptions#requestReadTimeoutMillis()}); each was answered 408 when no
 *     response had started, and its connection was closed
 */
@JsonPropertyOrder({
  "port",
  "connectionsAccepted",
  "connectionsClosed",
  "connectionsOpen",
  "maxConnectionsOpen",
  "requests",
  "requestsPerClosedConnection",
  "connectionsOpenUnserved",
  "connectionsClosedUnserved",
  "requestReadTimeouts"
})
public record ListenerStats(
    int port,
    long connectionsAccepted,
    long connectionsClosed,
    long connectionsOpen,
    long maxConnectionsOpen,
    long requests,
    SortedMap<Long, Long> requestsPerClosedConnection,
    long connectionsOpenUnserved,
    long connectionsClosedUnserved,
    long requestReadTimeouts) {

  /** JSON object of these counters; field names are a published schema. */
  public String toJson() {
    try {
      return ServerStats.JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write listener stats as JSON", e);
    }
  }
}
