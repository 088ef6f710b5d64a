package dev.keepalive.server;

import java.util.List;
import java.util.TreeMap;

/**
 * Immutable snapshot of a {@link HarnessServer}'s counters.
 *
 * @param total the sum over all listeners ({@code maxConnectionsOpen} is the sum of the listeners'
 *     maxima, an upper bound of the simultaneous total)
 * @param listeners one entry per listener, in listener order
 */
public record ServerStats(ListenerStats total, List<ListenerStats> listeners) {

  static ServerStats of(List<ListenerStats> listeners) {
    long accepted = 0;
    long closed = 0;
    long open = 0;
    long maxOpen = 0;
    long requests = 0;
    TreeMap<Long, Long> perConnection = new TreeMap<>();
    for (ListenerStats s : listeners) {
      accepted += s.connectionsAccepted();
      closed += s.connectionsClosed();
      open += s.connectionsOpen();
      maxOpen += s.maxConnectionsOpen();
      requests += s.requests();
      s.requestsPerClosedConnection().forEach((k, v) -> perConnection.merge(k, v, Long::sum));
    }
    ListenerStats total =
        new ListenerStats(0, accepted, closed, open, maxOpen, requests, perConnection);
    return new ServerStats(total, List.copyOf(listeners));
  }

  /** Shorthand for {@code total().connectionsAccepted()}. */
  public long connectionsAccepted() {
    return total.connectionsAccepted();
  }

  /** Shorthand for {@code total().requests()}. */
  public long requests() {
    return total.requests();
  }

  /** {@code {"total": {...}, "listeners": [{...}, ...]}}; field names are a published schema. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"total\":").append(total.toJson());
    sb.append(",\"listeners\":[");
    for (int i = 0; i < listeners.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(listeners.get(i).toJson());
    }
    return sb.append("]}").toString();
  }
}
