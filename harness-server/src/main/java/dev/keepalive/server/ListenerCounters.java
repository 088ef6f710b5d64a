package dev.keepalive.server;

import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.util.Collections;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live connection and request counters of one listener.
 *
 * <p>Two views of a connection. The counted view ({@code connectionsAccepted} and the rest): a
 * connection is counted on the connection object itself when its first counted request arrives: it
 * attaches a {@link Conn}, and a close listener finishes it. The TCP view ({@code
 * connectionsOpenUnserved}, {@code connectionsClosedUnserved}): every accepted socket, from its
 * {@link ConnectionWatch}, until a request reaches the routes. A connection that never sends a
 * complete request shows only in the TCP view.
 *
 * <p>Thread-safety: IO threads (see the package), and readers of {@link #snapshot} on any thread;
 * the request path touches only atomics and the connection's own attachment, the rarer open/close
 * path takes this object's lock.
 */
final class ListenerCounters {

  private static final AttachmentKey<Conn> CONN = AttachmentKey.create(Conn.class);

  /** Per-connection state, attached to Undertow's connection; touched by its IO thread only. */
  static final class Conn {
    final long epoch;
    long requests;

    Conn(long epoch) {
      this.epoch = epoch;
    }
  }

  private final int index;
  private final AtomicLong requests = new AtomicLong();
  private long epoch;
  private long accepted;
  private long closed;
  private long open;
  private long maxOpen;
  private final TreeMap<Long, Long> requestsPerClosedConnection = new TreeMap<>();
  private long openUnserved;
  private long closedUnserved;
  private long requestReadTimeouts;

  ListenerCounters(int index) {
    this.index = index;
  }

  int index() {
    return index;
  }

  /**
   * Counts one request on {@code connection} and returns its 1-based index on that connection; the
   * first request of a connection counts the connection as accepted.
   */
  long onRequest(ServerConnection connection) {
    requests.incrementAndGet();
    Conn conn = connection.getAttachment(CONN);
    if (conn == null) {
      conn = opened();
      connection.putAttachment(CONN, conn);
      Conn finished = conn;
      connection.addCloseListener(c -> closed(finished));
    }
    return ++conn.requests;
  }

  private synchronized Conn opened() {
    accepted++;
    open++;
    maxOpen = Math.max(maxOpen, open);
    return new Conn(epoch);
  }

  private synchronized void closed(Conn conn) {
    open--;
    if (conn.epoch == epoch) {
      closed++;
      requestsPerClosedConnection.merge(conn.requests, 1L, Long::sum);
    }
  }

  /** A TCP connection was accepted; returns the counting period it belongs to. */
  synchronized long onSocketAccepted() {
    openUnserved++;
    return epoch;
  }

  /** The first request of a connection reached the routes. */
  synchronized void onSocketServed() {
    openUnserved--;
  }

  /** A connection accepted in {@code acceptEpoch} closed before any request reached the routes. */
  synchronized void onSocketClosedUnserved(long acceptEpoch) {
    openUnserved--;
    if (acceptEpoch == epoch) {
      closedUnserved++;
    }
  }

  /** A request stopped arriving for the request-read timeout. */
  synchronized void onRequestReadTimeout() {
    requestReadTimeouts++;
  }

  synchronized void reset() {
    epoch++;
    accepted = 0;
    closed = 0;
    maxOpen = open;
    requests.set(0);
    requestsPerClosedConnection.clear();
    closedUnserved = 0;
    requestReadTimeouts = 0;
  }

  synchronized ListenerStats snapshot(int port) {
    return new ListenerStats(
        port,
        accepted,
        closed,
        open,
        maxOpen,
        requests.get(),
        Collections.unmodifiableSortedMap(new TreeMap<>(requestsPerClosedConnection)),
        openUnserved,
        closedUnserved,
        requestReadTimeouts);
  }
}
