package dev.keepalive.agent;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The pool's I/O layer: carries out its decisions on real sockets — opens a connection, hands it a
 * request, prepares it for the free list, closes it. It only acts downward (on connections and
 * their exchanges) and never calls back into the pool; the connections report their events to
 * {@link Connections}.
 *
 * <p>Thread-safety: confined to the agent's event loop; every entry asserts it.
 */
final class Sockets implements Pool.Io<HttpConnection, Exchange> {

  private static final int READ_BUFFER_BYTES = 64 * 1024;

  private final AgentOptions options;
  private final EventLoop loop;
  private final ConnectionListener listener;
  private final AgentCounters counters;

  private TlsContext tlsContext;
  private final java.util.function.Supplier<TlsContext> tls = this::tlsContext;

  /** One read buffer for every connection of the loop: reads never interleave. */
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);

  Sockets(
      AgentOptions options, EventLoop loop, ConnectionListener listener, AgentCounters counters) {
    this.options = options;
    this.loop = loop;
    this.listener = listener;
    this.counters = counters;
  }

  @Override
  public boolean onIoThread() {
    return loop.inLoop();
  }

  @Override
  public HttpConnection createSocket(Exchange ex) {
    assert loop.inLoop();
    HttpConnection c =
        new HttpConnection(
            listener,
            loop,
            readBuffer,
            ex.name(),
            options.maxHeaderBytes(),
            ex.request.secure() ? tls : null);
    c.connect(ex.request.host(), ex.request.port(), options);
    return c;
  }

  @Override
  public void assign(HttpConnection c, Exchange ex, boolean reused) {
    assert loop.inLoop();
    if (reused) {
      counters.reusedRequestCount++;
    }
    c.serve(ex, reused);
  }

  /**
   * The agent's TLS context, made on the first {@code https} connection (loading the platform's
   * trusted roots costs tens of milliseconds: an http-only agent never pays it).
   *
   * @throws IllegalArgumentException when the TLS options cannot be set up (the request fails
   *     {@code config})
   */
  private TlsContext tlsContext() {
    if (tlsContext == null) {
      try {
        tlsContext = new TlsContext(options.tls());
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
      }
    }
    return tlsContext;
  }

  /**
   * Node's {@code keepSocketAlive}: the agent {@code timeout}, shortened by the server's {@code
   * Keep-Alive: timeout=N} hint to {@code N*1000 - 1000} ms; a hint that leaves nothing means the
   * socket must not be pooled.
   */
  @Override
  public boolean keepSocketAlive(HttpConnection c) {
    assert loop.inLoop();
    long timeoutMillis = options.timeoutMillis();
    long hintSeconds = c.keepAliveTimeoutSeconds();
    if (hintSeconds >= 0) {
      long hinted = Math.max(0, hintSeconds * 1000 - 1000);
      if (hinted == 0) {
        return false; // the server's timeout is too short to reuse the socket safely
      }
      if (hinted < timeoutMillis) {
        timeoutMillis = hinted;
      }
    }
    if (timeoutMillis > 0) {
      c.armIdleTimer(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }
    return true;
  }

  /**
   * Closes a socket; a request still on it fails {@code closed_early}. The caller (the pool, or
   * {@link Connections}) removes it from the pool. Idempotent.
   */
  @Override
  public void destroy(HttpConnection c) {
    assert loop.inLoop();
    if (c.destroyed()) {
      return;
    }
    Exchange ex = c.detach();
    c.close();
    counters.closeSocketCount++;
    if (ex != null) {
      ex.fail(ErrorClass.CLOSED_EARLY, "socket hang up (socket destroyed)", null);
    }
  }
}
