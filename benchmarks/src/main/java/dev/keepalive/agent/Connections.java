package dev.keepalive.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection lifecycle of one agent: carries out the {@link Pool}'s decisions on real sockets
 * (open, hand over, pool, close) and answers what the connections report — a completed exchange, a
 * failure, a close by the peer, an idle timeout. It owns the agent's counters and the whole-request
 * deadlines, and it is where the opt-in stale-socket retry happens.
 *
 * <p>A request flows one way: {@link #submit} → {@link Pool#addRequest} → {@link HttpConnection}
 * (connect, write) → {@link ResponseParser} → {@link Exchange} → the caller's future. The
 * connection's events come back here, and only here.
 *
 * <p>Thread-safety: confined to the agent's event loop; every entry asserts it.
 */
final class Connections implements ConnectionListener, AutoCloseable {

  private static final System.Logger LOG = System.getLogger("dev.keepalive.agent");

  private final AgentOptions options;
  private final EventLoop loop;
  private final AgentCounters counters = new AgentCounters();
  private final Sockets sockets;
  private final Pool<HttpConnection, Exchange> pool;
  private boolean closed;

  Connections(AgentOptions options, EventLoop loop) {
    this.options = options;
    this.loop = loop;
    this.sockets = new Sockets(options, loop, this, counters);
    this.pool = new Pool<>(options, sockets);
  }

  /** Starts each exchange of a burst ({@link Exchange#next}), in order, in this loop step. */
  void submit(Exchange first) {
    assert loop.inLoop();
    for (Exchange ex = first; ex != null; ex = ex.next) {
      if (closed) {
        ex.fail(ErrorClass.CONFIG, "agent is closed", null);
        continue;
      }
      Exchange timed = ex;
      if (ex.request.timeoutMillis() > 0) {
        ex.armDeadline(() -> onDeadline(timed));
      }
      pool.addRequest(ex);
    }
  }

  /** Closes a socket and removes it from the pool (Node's {@code 'close'} → removeSocket). */
  private void destroy(HttpConnection c) {
    if (c.destroyed()) {
      return;
    }
    sockets.destroy(c);
    pool.onClose(c);
  }

  // ---- what the connections report

  @Override
  public void onConnected(HttpConnection c) {
    assert loop.inLoop();
    counters.createSocketCount++;
  }

  @Override
  public void onConnectFailed(HttpConnection c, Throwable e) {
    assert loop.inLoop();
    if (c.destroyed()) {
      return;
    }
    counters.createSocketErrorCount++;
    ErrorClass cls = IoFailures.classifyConnect(e);
    String message = "connect " + c.name() + " failed: " + e;
    if (cls == ErrorClass.PORTS_EXHAUSTED) {
      message +=
          " (no free local port or file descriptor: TIME_WAIT build-up from new connections per"
              + " request; reuse connections, or widen net.ipv4.ip_local_port_range)";
    }
    failAndDestroy(c, cls, message, e);
  }

  @Override
  public void onSecureConnect(HttpConnection c, boolean resumed) {
    assert loop.inLoop();
    counters.tlsHandshakeCount++;
    if (resumed) {
      counters.tlsResumedCount++;
    }
  }

  @Override
  public void onHandshakeFailed(HttpConnection c, Throwable e) {
    assert loop.inLoop();
    counters.tlsHandshakeErrorCount++;
    ErrorClass cls = IoFailures.classifyHandshake(e);
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    failAndDestroy(c, cls, "TLS handshake with " + c.name() + " failed: " + why, e);
  }

  @Override
  public void onExchangeDone(HttpConnection c, Exchange ex, boolean keepAlive) {
    assert loop.inLoop();
    counters.requestCount++;
    c.release(keepAlive); // queued before the caller hears of the response
    ex.succeed(c.localPort());
  }

  @Override
  public void onReleased(HttpConnection c, boolean keepAlive) {
    assert loop.inLoop();
    if (keepAlive) {
      pool.onFree(c);
    } else {
      destroy(c); // Node: socket.destroySoon(), no 'free'
    }
  }

  @Override
  public void onFailed(
      HttpConnection c, ErrorClass cls, String message, Throwable cause, boolean socketError) {
    assert loop.inLoop();
    if (socketError) {
      counters.errorSocketCount++;
    }
    failAndDestroy(c, cls, message, cause);
  }

  @Override
  public void onPeerClosed(HttpConnection c) {
    destroy(c);
  }

  @Override
  public void onUnsolicitedBytes(HttpConnection c, boolean idle) {
    assert loop.inLoop();
    counters.errorSocketCount++;
    if (idle) {
      destroy(c); // bytes on an idle pooled socket: never reuse it
    }
    // else: the response is done, the release sees the connection dirty and closes it
  }

  @Override
  public void onIdleTimeout(HttpConnection c) {
    assert loop.inLoop();
    counters.timeoutSocketCount++;
    destroy(c);
  }

  @Override
  public void onCloseFailed(HttpConnection c, IOException e) {
    counters.errorSocketCount++;
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, "closing " + c + " failed", e);
    }
  }

  private void onDeadline(Exchange ex) {
    if (ex.finished()) {
      return;
    }
    String message = "request timed out after " + ex.request.timeoutMillis() + " ms";
    HttpConnection c = ex.connection();
    if (c == null) {
      pool.removeQueued(ex);
      ex.fail(ErrorClass.TIMEOUT, message + " waiting for a socket", null);
    } else {
      // the queued requests whose deadline has passed too, or falls within the loop's timer
      // resolution (their timers are due now), time out first: the close below hands a new
      // socket to the queue's head, which must not be one of them — past a bound's capacity each
      // would open a socket only to close it, thousands per step
      long soon = System.nanoTime() + EventLoop.TIMER_RESOLUTION_NANOS;
      for (Exchange late : pool.removeExpiredHeads(q -> q.pastDeadline(soon))) {
        late.fail(
            ErrorClass.TIMEOUT,
            "request timed out after " + late.request.timeoutMillis() + " ms waiting for a socket",
            null);
      }
      failAndDestroy(c, ErrorClass.TIMEOUT, message, null);
    }
  }

  private void failAndDestroy(HttpConnection c, ErrorClass cls, String message, Throwable cause) {
    Exchange ex = c.detach();
    if (ex != null) {
      if (retriable(ex, c, cls)) {
        destroy(c);
        counters.retryCount++;
        ex.resetForRetry();
        pool.addRequest(ex);
        return;
      }
      ex.fail(cls, message, cause);
    }
    destroy(c);
  }

  /**
   * The stale keep-alive race, and only it, with an idempotent request: see {@link
   * AgentOptions#retryOnStaleSocket()}.
   */
  private boolean retriable(Exchange ex, HttpConnection c, ErrorClass cls) {
    return options.retryOnStaleSocket()
        && !ex.retried()
        && !ex.finished()
        && !closed
        && ex.reusedSocket()
        && (cls == ErrorClass.CLOSED_EARLY || cls == ErrorClass.RESET)
        && !c.responseStarted()
        && ex.request.idempotent();
  }

  /** A consistent snapshot of the counters and of every origin's lists. */
  AgentStats snapshot() {
    return AgentStats.of(counters, pool);
  }

  /**
   * Fails queued requests ({@code config}) and those on a socket ({@code closed_early}), closes
   * every socket. Later submissions fail at once. Idempotent.
   */
  @Override
  public void close() {
    assert loop.inLoop();
    endAll("agent closed", null);
  }

  /**
   * The loop failed ({@code failure}: a bug, or an Error such as running out of memory): ends every
   * request as {@link #close()} does, naming the failure, each step on its own so that one more
   * failure does not strand the rest.
   */
  void abort(Throwable failure) {
    endAll("agent failed: " + failure, failure);
  }

  private void endAll(String why, Throwable cause) {
    closed = true;
    List<Exchange> queued = pool.drainQueued();
    List<Exchange> onSockets = new ArrayList<>();
    for (HttpConnection c : pool.allSockets()) {
      try {
        Exchange ex = c.detach();
        if (ex != null) {
          onSockets.add(ex);
        }
        destroy(c);
      } catch (RuntimeException e) {
        if (cause == null) {
          throw e;
        }
        cause.addSuppressed(e); // aborting: carry on with the other sockets
      }
    }
    // every socket is closed and uncounted before any caller hears of the end (and reads stats)
    for (Exchange ex : queued) {
      ex.fail(ErrorClass.CONFIG, why + " while the request was queued", cause);
    }
    for (Exchange ex : onSockets) {
      ex.fail(ErrorClass.CLOSED_EARLY, "socket hang up (" + why + ")", cause);
    }
  }
}
