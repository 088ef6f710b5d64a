package dev.keepalive.server;

import java.util.Map;
import java.util.SortedMap;

/**
 * Counters of one listener (or the total over all listeners) since the last reset.
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
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"port\":").append(port);
    sb.append(",\"connectionsAccepted\":").append(connectionsAccepted);
    sb.append(",\"connectionsClosed\":").append(connectionsClosed);
    sb.append(",\"connectionsOpen\":").append(connectionsOpen);
    sb.append(",\"maxConnectionsOpen\":").append(maxConnectionsOpen);
    sb.append(",\"requests\":").append(requests);
    sb.append(",\"requestsPerClosedConnection\":{");
    boolean first = true;
    for (Map.Entry<Long, Long> e : requestsPerClosedConnection.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append('"').append(e.getKey()).append("\":").append(e.getValue());
    }
    return sb.append("}}").toString();
  }
}
