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
 */
@JsonPropertyOrder({
  "port",
  "connectionsAccepted",
  "connectionsClosed",
  "connectionsOpen",
  "maxConnectionsOpen",
  "requests",
  "requestsPerClosedConnection"
})
public record ListenerStats(
    int port,
    long connectionsAccepted,
    long connectionsClosed,
    long connectionsOpen,
    long maxConnectionsOpen,
    long requests,
    SortedMap<Long, Long> requestsPerClosedConnection) {

  /** JSON object of these counters; field names are a published schema. */
  public String toJson() {
    try {
      return ServerStats.JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write listener stats as JSON", e);
    }
  }
}
