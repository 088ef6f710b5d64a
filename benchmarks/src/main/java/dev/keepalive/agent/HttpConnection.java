package dev.keepalive.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.Supplier;

/**
 * One client socket and the exchange it serves: non-blocking connect, request write, response read
 * into its {@link ResponseParser}, whose parts go to the {@link Exchange}. It owns its state (the
 * current exchange, the idle timer, whether stray bytes made it unusable) and reports what happened
 * to its {@link ConnectionListener}, which decides what the pool does next.
 *
 * <p>Thread-safety: confined to the agent's event loop; every entry that changes state asserts it.
 */
final class HttpConnection implements Pool.Socket, EventLoop.Handler {

  private final ConnectionListener listener;
  private final EventLoop loop;
  private final ByteBuffer readBuffer;
  private final String name;
  private final ResponseParser parser;
  private final long createdNanos;

  private final Runnable releaseTask = this::released;

  private final IdleTimer idle;
  private final Supplier<TlsContext> tls;
  private SocketChannel channel;
  private Transport transport;
  private SelectionKey key;
  private int interestOps;
  private long lookupNanos;
  private long connectedNanos;
  private long secureConnectNanos;
  private boolean secured;
  private boolean writing;
  private boolean destroyed;
  private boolean writable = true;
  private boolean dirty;
  private boolean releaseKeepAlive;
  private int localPort;
  private Exchange exchange;
  private ByteBuffer out;

  // tls: the agent's TLS context for an https origin, null for http
  HttpConnection(
      ConnectionListener listener,
      EventLoop loop,
      ByteBuffer readBuffer,
      String name,
      int maxHeaderBytes,
      Supplier<TlsContext> tls) {
    this.listener = listener;
    this.tls = tls;
    this.loop = loop;
    this.readBuffer = readBuffer;
    this.name = name;
    this.parser = new ResponseParser(maxHeaderBytes);
    this.createdNanos = System.nanoTime();
    this.idle = new IdleTimer(loop, this::idleTimeout);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean writable() {
    return writable && !destroyed;
  }

  int localPort() {
    return localPort;
  }

  boolean destroyed() {
    return destroyed;
  }

  /** Whether any byte of the current response has arrived. */
  boolean responseStarted() {
    return parser.started();
  }

  /** The last response's keep-alive hint in seconds, or -1 ({@link ResponseParser}). */
  long keepAliveTimeoutSeconds() {
    return parser.keepAliveTimeoutSeconds();
  }

  /**
   * Starts connecting. A failure, even an immediate one, is reported later through {@link
   * ConnectionListener#onConnectFailed}, never from inside this call (the pool is mid-decision).
   */
  void connect(String host, int port, AgentOptions options) {
    assert loop.inLoop();
    try {
      channel = Transport.openChannel(options);
      InetSocketAddress address = new InetSocketAddress(host, port);
      lookupNanos = System.nanoTime();
      if (address.isUnresolved()) {
        throw new UnresolvedAddressException();
      }
      key = channel.register(loop.selector(), 0, this);
      transport =
          tls == null
              ? Transport.plain(channel)
              : new TlsTransport(channel, tls.get().newEngine(host, port));
      if (channel.connect(address)) {
        loop.execute(this::finishConnect);
      } else {
        setInterest(SelectionKey.OP_CONNECT);
      }
    } catch (IOException | RuntimeException e) {
      // RuntimeException: an unresolved host, or a value the JDK refuses (IoFailures says config)
      loop.execute(() -> listener.onConnectFailed(this, e));
    }
  }

  /**
   * Takes {@code ex}: stops the idle timer and writes the request now, or once connected.
   *
   * @param reused whether the socket came from the free pool (Node's {@code reusedSocket})
   */
  void serve(Exchange ex, boolean reused) {
    assert loop.inLoop();
    idle.cancel();
    exchange = ex;
    ex.assigned(this, reused, secured, createdNanos);
    if (secured) {
      write(ex);
    }
  }

  /**
   * Gives the connection back one loop step later (Node's {@code process.nextTick}); queued before
   * the caller hears of the response, so a caller on another thread finds it back in the pool.
   */
  void release(boolean keepAlive) {
    assert loop.inLoop();
    releaseKeepAlive = keepAlive && !dirty;
    loop.execute(releaseTask);
  }

  private void released() {
    if (!destroyed) {
      listener.onReleased(this, releaseKeepAlive && !dirty);
    }
  }

  /**
   * Node 22+'s {@code hasPendingRead} ({@link Transport#hasPendingRead}); pending bytes make the
   * connection dirty. A reset waiting on the idle socket makes it unusable too.
   */
  boolean hasPendingRead() {
    assert loop.inLoop();
    boolean pending;
    try {
      pending = secured && !destroyed && transport.hasPendingRead(readBuffer);
    } catch (IOException e) {
      pending = true;
    }
    dirty |= pending;
    return pending;
  }

  /** Closes an idle pooled connection after {@code delayNanos} unless it is taken first. */
  void armIdleTimer(long delayNanos) {
    idle.arm(delayNanos);
  }

  private void idleTimeout() {
    if (!destroyed && exchange == null) {
      listener.onIdleTimeout(this);
    }
  }

  /** Detaches the exchange in progress (it failed or is being retried); null if none. */
  Exchange detach() {
    assert loop.inLoop();
    Exchange ex = exchange;
    exchange = null;
    return ex;
  }

  private void finishConnect() {
    if (destroyed) {
      return;
    }
    try {
      if (!channel.finishConnect()) {
        return;
      }
      connectedNanos = System.nanoTime();
      localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      setInterest(SelectionKey.OP_READ);
    } catch (IOException e) {
      listener.onConnectFailed(this, e);
      return;
    }
    listener.onConnected(this);
    if (!transport.secure()) {
      secureConnectNanos = connectedNanos;
      ready();
    } else if (!destroyed) {
      handshake();
    }
  }

  /** Advances the TLS handshake; once done, the connection is ready for its exchange. */
  private void handshake() {
    TlsTransport t = (TlsTransport) transport;
    boolean done;
    try {
      done = t.handshake();
    } catch (IOException | RuntimeException e) {
      tls.get().forget(t.engine());
      listener.onHandshakeFailed(this, e);
      return;
    }
    if (!done) {
      setInterest(SelectionKey.OP_READ | (t.wantsWrite() ? SelectionKey.OP_WRITE : 0));
      return;
    }
    secureConnectNanos = System.nanoTime();
    setInterest(SelectionKey.OP_READ);
    listener.onSecureConnect(this, tls.get().handshakeDone(t.engine()));
    ready();
  }

  /** TCP (and TLS) established: the exchange waiting for this connection goes out. */
  private void ready() {
    secured = true;
    Exchange ex = exchange;
    if (ex != null && !destroyed) {
      ex.connected(lookupNanos, connectedNanos, secureConnectNanos);
      write(ex);
    }
  }

  /** Writes the exchange's request; the rest is written when the socket can take it. */
  private void write(Exchange ex) {
    parser.begin(ex.request.isHead());
    if (out == null || out.array() != ex.encoded) {
      out = ByteBuffer.wrap(ex.encoded); // the same request sent again reuses its buffer
    } else {
      out.clear();
    }
    writing = true;
    flush();
  }

  private void flush() {
    boolean all;
    try {
      all = transport.write(out);
    } catch (IOException e) {
      listener.onIoFailed(this, e);
      return;
    }
    if (!all) {
      setInterest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    } else {
      writing = false;
      setInterest(SelectionKey.OP_READ);
      Exchange ex = exchange;
      if (ex.written()) {
        done(ex);
      }
    }
  }

  @Override
  public void onReady(SelectionKey k) {
    int ready = k.readyOps();
    if ((ready & SelectionKey.OP_CONNECT) != 0) {
      finishConnect();
      return;
    }
    if (!secured) {
      handshake();
      return;
    }
    if ((ready & SelectionKey.OP_WRITE) != 0 && writing && exchange != null) {
      flush();
      if (destroyed) {
        return;
      }
    }
    if ((ready & SelectionKey.OP_READ) != 0) {
      read();
    }
  }

  private void read() {
    ByteBuffer buf = readBuffer;
    while (!destroyed) {
      buf.clear();
      int n;
      try {
        n = transport.read(buf);
      } catch (IOException e) {
        listener.onIoFailed(this, e);
        return;
      }
      if (n == -1) {
        writable = false;
        eof();
        return;
      }
      if (n == 0) {
        return;
      }
      buf.flip();
      Exchange ex = exchange;
      if (ex == null || ex.isResponseDone()) {
        dirty = true;
        listener.onUnsolicitedBytes(this, ex == null);
        return;
      }
      ex.firstByte(System.nanoTime());
      try {
        if (parser.feed(buf, ex)) {
          if (buf.hasRemaining()) {
            dirty = true;
          }
          if (ex.responseDone(System.nanoTime())) {
            done(ex);
          }
        }
      } catch (HttpParseException e) {
        listener.onFailed(this, e.errorClass(), e.getMessage(), e, false);
        return;
      }
      if (n < buf.capacity() && !transport.hasBuffered()) {
        return; // drained: wait for the next readiness rather than pay a read that returns 0
      }
    }
  }

  /** Request written and response complete: the connection is idle again. */
  private void done(Exchange ex) {
    exchange = null;
    listener.onExchangeDone(this, ex, ex.shouldKeepAlive && parser.keepAlive() && !dirty);
  }

  private void eof() {
    Exchange ex = exchange;
    if (ex == null || ex.isResponseDone()) {
      listener.onPeerClosed(this); // a pooled (or just released) socket closed by the server
      return;
    }
    if (parser.eof()) {
      // a close-delimited body ended: a response, if the request was written
      if (ex.responseDone(System.nanoTime())) {
        done(ex);
        listener.onPeerClosed(this);
        return;
      }
    }
    String message = parser.started() ? "response ended early (aborted)" : "socket hang up";
    listener.onFailed(this, ErrorClass.CLOSED_EARLY, message, null, false);
  }

  private void setInterest(int ops) {
    if (ops != interestOps) {
      interestOps = ops;
      key.interestOps(ops);
    }
  }

  /** Closes the socket. Idempotent; the listener does the pool bookkeeping. */
  void close() {
    assert loop.inLoop();
    destroyed = true;
    writable = false;
    idle.cancel();
    if (key != null) {
      key.cancel();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        listener.onCloseFailed(this, e);
      }
    }
  }

  @Override
  public String toString() {
    return "sock[" + name + " port " + localPort + "]";
  }
}
