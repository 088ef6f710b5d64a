package dev.keepalive.server;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeMap;

/**
 * Immutable snapshot of a {@link HarnessServer}'s counters, and the one owner of their JSON form
 * (the {@code /stats} route writes it with {@link #toJson()}, a client reads it with {@link
 * #fromJson(String)}).
 *
 * <p>Thread-safety: immutable (see the package).
 *
 * @param total the sum over all listeners ({@code maxConnectionsOpen} is the sum of the listeners'
 *     maxima, an upper bound of the simultaneous total)
 * @param listeners one entry per listener, in listener order
 * @param tlsFullHandshakes with {@code --tls}: full TLS handshakes (the server chose its
 *     certificate); the TLS connections are {@code total.connectionsAccepted}, so resumed ones are
 *     the difference (see {@code ServerTls} for what JSSE lets a server see); null without TLS
 */
@JsonPropertyOrder({"total", "listeners", "tlsFullHandshakes"})
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record ServerStats(
    ListenerStats total, List<ListenerStats> listeners, Long tlsFullHandshakes) {

  /**
   * Thread-safe once configured (Jackson's rule). Readers ignore fields they do not know, so a
   * newer server's additions do not break an older client; a field an older server did not write
   * reads as 0.
   */
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static ServerStats of(List<ListenerStats> listeners, Long tlsFullHandshakes) {
    long accepted = 0;
    long closed = 0;
    long open = 0;
    long maxOpen = 0;
    long requests = 0;
    long openUnserved = 0;
    long closedUnserved = 0;
    long readTimeouts = 0;
    TreeMap<Long, Long> perConnection = new TreeMap<>();
    for (ListenerStats s : listeners) {
      accepted += s.connectionsAccepted();
      closed += s.connectionsClosed();
      open += s.connectionsOpen();
      maxOpen += s.maxConnectionsOpen();
      requests += s.requests();
      openUnserved += s.connectionsOpenUnserved();
      closedUnserved += s.connectionsClosedUnserved();
      readTimeouts += s.requestReadTimeouts();
      s.requestsPerClosedConnection().forEach((k, v) -> perConnection.merge(k, v, Long::sum));
    }
    ListenerStats total =
        new ListenerStats(
            0,
            accepted,
            closed,
            open,
            maxOpen,
            requests,
            perConnection,
            openUnserved,
            closedUnserved,
            readTimeouts);
    return new ServerStats(total, List.copyOf(listeners), tlsFullHandshakes);
  }

  /** Shorthand for {@code total().connectionsAccepted()}. */
  public long connectionsAccepted() {
    return total.connectionsAccepted();
  }

  /**
   * TLS connections that resumed a session instead of a full handshake (connections − full
   * handshakes, floored at 0), or -1 without TLS.
   */
  public long tlsResumedHandshakes() {
    return tlsFullHandshakes == null
        ? -1
        : Math.max(0, total.connectionsAccepted() - tlsFullHandshakes);
  }

  /** Shorthand for {@code total().requests()}. */
  public long requests() {
    return total.requests();
  }

  /** {@code {"total": {...}, "listeners": [{...}, ...]}}; field names are a published schema. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write server stats as JSON", e);
    }
  }

  /**
   * Reads what {@link #toJson()} wrote (the body of {@code GET /stats}).
   *
   * @throws UncheckedIOException naming the problem when the text is not such JSON
   */
  public static ServerStats fromJson(String json) {
    try {
      ServerStats s = JSON.readValue(json, ServerStats.class);
      if (s == null || s.total() == null || s.listeners() == null) {
        throw new IOException("no 'total' and 'listeners' in server stats: " + json);
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("not the harness server's stats JSON: " + e.getMessage(), e);
    }
  }
}
