package dev.keepalive.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pooling HTTP/1.1 client that reproduces Node's {@code http.Agent} (v20): the same options, the
 * same pool decisions ({@link Pool}), the same {@code reusedSocket}, no automatic retry.
 *
 * <p>Threading: all pool and socket state lives on one event loop and needs no locks. {@link
 * #create} gives the agent a loop thread of its own, so {@link #request} and {@link #send} may be
 * called from any thread. {@link #createDriven} gives it none: the calling thread drives the loop
 * with {@link #runOnce} or {@link #await} (as Node's caller shares its loop) and pays no thread
 * hand-off per request.
 */
public final class Agent implements AutoCloseable {

  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final int READ_BUFFER_BYTES = 64 * 1024;

  private final AgentOptions options;
  private final EventLoop loop = new EventLoop();
  private final Pool<HttpConnection, Exchange> pool;
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
  private final boolean connectionClose;

  /** Node's request-side default: a request may keep its socket iff keepAlive or bounded. */
  private final boolean requestsKeepAlive;

  private final Counters counters = new Counters();
  private volatile boolean closed;

  /** Agent counters (agentkeepalive's names); loop thread only. */
  static final class Counters {
    long createSocketCount;
    long createSocketErrorCount;
    long closeSocketCount;
    long errorSocketCount;
    long timeoutSocketCount;
    long requestCount;
    long reusedRequestCount;
    long retryCount;
  }

  private Agent(AgentOptions options, boolean ownThread) {
    this.options = options;
    this.connectionClose = options.sendsConnectionClose();
    this.requestsKeepAlive = options.keepAlive() || options.maxSockets() != AgentOptions.UNBOUNDED;
    this.pool = new Pool<>(options, new PoolIo());
    if (ownThread) {
      loop.startThread("keepalive-agent-" + SEQ.incrementAndGet());
    }
  }

  /** An agent with a loop thread of its own: call it from any thread. */
  public static Agent create(AgentOptions options) {
    return new Agent(options, true);
  }

  /**
   * Node's {@code agent: false}: every request on a fresh connection with {@code Connection:
   * close}. (Node builds a default Agent per request; one default agent behaves the same, as it
   * never queues and never pools.)
   */
  public static Agent none() {
    return create(AgentOptions.defaults());
  }

  /**
   * An agent without a thread: the calling thread drives it with {@link #runOnce} / {@link #await}
   * and becomes its owner; no other thread may drive it.
   */
  public static Agent createDriven(AgentOptions options) {
    return new Agent(options, false);
  }

  public AgentOptions options() {
    return options;
  }

  EventLoop loop() {
    return loop;
  }

  ByteBuffer readBuffer() {
    return readBuffer;
  }

  /**
   * Issues a request. The future completes with the response, or exceptionally with an {@link
   * AgentException} whose {@link AgentException#errorClass()} says how it failed. Never both, never
   * neither (as long as the agent's loop runs).
   */
  public CompletableFuture<Response> request(Request request) {
    Exchange ex = new Exchange(request, requestsKeepAlive, connectionClose, System.nanoTime());
    if (closed) {
      ex.fail(ErrorClass.CONFIG, "agent is closed", null);
    } else if (loop.inLoop()) {
      submit(ex);
    } else {
      loop.execute(() -> submit(ex));
      if (loop.isClosed()) {
        // raced with close(): the loop may be gone; failing twice is harmless, hanging is not
        ex.future.completeExceptionally(
            AgentException.of(ErrorClass.CONFIG, "agent is closed", false, null));
      }
    }
    return ex.future;
  }

  /**
   * Issues several requests in one step of the agent's loop, in list order — as Node code issuing
   * them synchronously in one tick: every one is queued (or given a socket) before any response is
   * handled. Issuing them one by one from another thread instead lets a fast server answer the
   * first before the next is submitted, which changes what the pool does.
   */
  public java.util.List<CompletableFuture<Response>> requestAll(java.util.List<Request> requests) {
    java.util.List<Exchange> exchanges = new java.util.ArrayList<>(requests.size());
    java.util.List<CompletableFuture<Response>> futures =
        new java.util.ArrayList<>(requests.size());
    for (Request r : requests) {
      Exchange ex = new Exchange(r, requestsKeepAlive, connectionClose, System.nanoTime());
      exchanges.add(ex);
      futures.add(ex.future);
    }
    Runnable submitAll = () -> exchanges.forEach(this::submit);
    if (closed) {
      exchanges.forEach(ex -> ex.fail(ErrorClass.CONFIG, "agent is closed", null));
    } else if (loop.inLoop()) {
      submitAll.run();
    } else {
      loop.execute(submitAll);
      if (loop.isClosed()) {
        exchanges.forEach(
            ex ->
                ex.future.completeExceptionally(
                    AgentException.of(ErrorClass.CONFIG, "agent is closed", false, null)));
      }
    }
    return futures;
  }

  /**
   * Sends a request and waits for its response; not on a driven agent's owner thread (use {@link
   * #await}).
   */
  public Response send(Request request) throws AgentException, InterruptedException {
    if (!loop.hasThread()) {
      return await(request(request));
    }
    if (loop.inLoop()) {
      throw new IllegalStateException("send() would block the agent's own loop; use request()");
    }
    return unwrap(request(request));
  }

  /**
   * Drives a {@link #createDriven} agent until {@code future} is complete, then returns its value.
   */
  public Response await(CompletableFuture<Response> future)
      throws AgentException, InterruptedException {
    if (loop.hasThread()) {
      return unwrap(future);
    }
    while (!future.isDone()) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      loop.runOnce(TimeUnit.MILLISECONDS.toNanos(100));
    }
    return unwrap(future);
  }

  /**
   * One step of a {@link #createDriven} agent's loop, waiting at most {@code maxWaitNanos} for I/O.
   */
  public void runOnce(long maxWaitNanos) {
    loop.runOnce(maxWaitNanos);
  }

  private static Response unwrap(CompletableFuture<Response> f)
      throws AgentException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AgentException a) {
        throw a;
      }
      throw new IllegalStateException("request failed unexpectedly", e.getCause());
    }
  }

  private void submit(Exchange ex) {
    if (closed) {
      ex.fail(ErrorClass.CONFIG, "agent is closed", null);
      return;
    }
    long timeout = ex.request.timeoutMillis();
    if (timeout > 0) {
      long left = TimeUnit.MILLISECONDS.toNanos(timeout) - (System.nanoTime() - ex.startNanos);
      ex.deadline = loop.schedule(Math.max(0, left), () -> onDeadline(ex));
    }
    pool.addRequest(ex);
  }

  /** Carries out the pool's decisions on real sockets. */
  private final class PoolIo implements Pool.Io<HttpConnection, Exchange> {
    @Override
    public HttpConnection createSocket(Exchange ex) {
      HttpConnection c =
          new HttpConnection(
              Agent.this,
              ex.name(),
              new ResponseParser(options.maxHeaderBytes()),
              System.nanoTime());
      c.connect(ex.request.host(), ex.request.port(), options);
      return c;
    }

    @Override
    public void assign(HttpConnection c, Exchange ex, boolean reused) {
      if (c.idleTimer != null) {
        c.idleTimer.cancel();
        c.idleTimer = null;
      }
      c.exchange = ex;
      ex.connection = c;
      ex.reusedSocket = reused;
      if (reused) {
        counters.reusedRequestCount++;
      }
      if (c.connected) {
        ex.socketNanos = System.nanoTime();
        ex.lookupNanos = ex.socketNanos;
        ex.connectNanos = ex.socketNanos;
        c.write(ex);
      } else {
        ex.socketNanos = Math.max(c.createdNanos, ex.startNanos);
        // written by onConnected
      }
    }

    @Override
    public void destroy(HttpConnection c) {
      Agent.this.destroy(c);
    }

    @Override
    public boolean keepSocketAlive(HttpConnection c) {
      long timeout = options.timeoutMillis();
      String hint = c.parser.keepAliveHeader();
      if (hint != null && hint.startsWith("timeout=")) {
        int end = 8;
        while (end < hint.length() && Character.isDigit(hint.charAt(end))) {
          end++;
        }
        if (end > 8) {
          long hinted = Math.max(0, parseLongSaturated(hint.substring(8, end)) * 1000 - 1000);
          if (hinted == 0) {
            return false; // the server's timeout is too short to reuse the socket safely
          }
          if (hinted < timeout) {
            timeout = hinted;
          }
        }
      }
      if (timeout > 0) {
        c.idleTimer = loop.schedule(TimeUnit.MILLISECONDS.toNanos(timeout), () -> onIdleTimeout(c));
      }
      return true;
    }
  }

  private static long parseLongSaturated(String digits) {
    return digits.length() > 15 ? Long.MAX_VALUE / 1000 : Long.parseLong(digits);
  }

  void onConnected(HttpConnection c) {
    counters.createSocketCount++;
    Exchange ex = c.exchange;
    if (ex != null) {
      ex.lookupNanos = Math.max(c.lookupNanos, ex.socketNanos);
      ex.connectNanos = c.connectedNanos;
      c.write(ex);
    }
  }

  void onConnectFailed(HttpConnection c, Throwable e) {
    if (c.destroyed) {
      return;
    }
    counters.createSocketErrorCount++;
    ErrorClass cls = HttpConnection.classifyConnect(e);
    String message = "connect " + c.name() + " failed: " + e;
    if (cls == ErrorClass.PORTS_EXHAUSTED) {
      message +=
          " (no free local port or file descriptor: TIME_WAIT build-up from new connections per"
              + " request; reuse connections, or widen net.ipv4.ip_local_port_range)";
    }
    failAndDestroy(c, cls, message, e);
  }

  void onRequestWritten(HttpConnection c) {
    Exchange ex = c.exchange;
    ex.requestWritten = true;
    if (ex.responseDone) {
      finish(c, ex);
    }
  }

  void onResponseDone(HttpConnection c) {
    Exchange ex = c.exchange;
    ex.endNanos = System.nanoTime();
    ex.responseDone = true;
    ex.keepAliveAllowed = ex.shouldKeepAlive && c.parser.keepAlive();
    if (ex.requestWritten) {
      finish(c, ex);
    }
  }

  /**
   * The response is complete and the request fully written. As in Node, the socket is released one
   * step later ({@code process.nextTick}) — but the release is queued before the caller hears of
   * the response, so a caller on another thread always finds the socket back in the pool.
   */
  private void finish(HttpConnection c, Exchange ex) {
    c.exchange = null;
    counters.requestCount++;
    boolean keepAlive = ex.keepAliveAllowed && !c.dirty;
    loop.execute(() -> release(c, keepAlive));
    ex.succeed(c.localPort());
  }

  private void release(HttpConnection c, boolean keepAlive) {
    if (c.destroyed) {
      return;
    }
    if (!keepAlive || c.dirty) {
      destroy(c); // Node: socket.destroySoon(), no 'free'
      return;
    }
    pool.onFree(c);
  }

  void onEof(HttpConnection c) {
    Exchange ex = c.exchange;
    if (ex != null && !ex.responseDone) {
      if (c.parser.eof()) {
        onResponseDone(c); // close-delimited body
        if (ex.finished) {
          destroy(c);
          return;
        }
      }
      String message = c.parser.started() ? "response ended early (aborted)" : "socket hang up";
      failAndDestroy(c, ErrorClass.CLOSED_EARLY, message, null);
      return;
    }
    destroy(c); // a pooled (or just released) socket closed by the server: removed silently
  }

  void onConnectionError(HttpConnection c, IOException e) {
    counters.errorSocketCount++;
    ErrorClass cls = HttpConnection.classifyIo(e);
    String message =
        cls == ErrorClass.RESET
            ? "read ECONNRESET: " + e.getMessage()
            : "socket hang up: " + e.getMessage();
    failAndDestroy(c, cls, message, e);
  }

  void onParseError(HttpConnection c, HttpParseException e) {
    failAndDestroy(c, e.errorClass(), e.getMessage(), e);
  }

  void onUnsolicitedBytes(HttpConnection c, int bytes) {
    counters.errorSocketCount++;
    if (c.exchange == null) {
      destroy(c); // bytes on an idle pooled socket: never reuse it
    }
    // else: the response is done, release() sees c.dirty and closes it
  }

  void onCloseFailed(HttpConnection c, IOException e) {
    counters.errorSocketCount++;
    System.err.println("keepalive-agent: closing " + c + " failed: " + e);
  }

  private void onIdleTimeout(HttpConnection c) {
    c.idleTimer = null;
    if (!c.destroyed && c.exchange == null) {
      counters.timeoutSocketCount++;
      destroy(c);
    }
  }

  private void onDeadline(Exchange ex) {
    ex.deadline = null;
    if (ex.finished) {
      return;
    }
    String message = "request timed out after " + ex.request.timeoutMillis() + " ms";
    HttpConnection c = ex.connection;
    if (c == null) {
      pool.removeQueued(ex);
      ex.fail(ErrorClass.TIMEOUT, message + " waiting for a socket", null);
    } else {
      failAndDestroy(c, ErrorClass.TIMEOUT, message, null);
    }
  }

  private void failAndDestroy(HttpConnection c, ErrorClass cls, String message, Throwable cause) {
    Exchange ex = c.exchange;
    if (ex != null) {
      c.exchange = null;
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
        && !ex.retried
        && !ex.finished
        && !closed
        && ex.reusedSocket
        && (cls == ErrorClass.CLOSED_EARLY || cls == ErrorClass.RESET)
        && !c.parser.started()
        && ex.request.idempotent();
  }

  /** Closes a socket and tells the pool (Node's {@code 'close'} → {@code removeSocket}). */
  private void destroy(HttpConnection c) {
    if (c.destroyed) {
      return;
    }
    Exchange ex = c.exchange;
    c.close();
    counters.closeSocketCount++;
    if (ex != null) {
      c.exchange = null;
      ex.fail(ErrorClass.CLOSED_EARLY, "socket hang up (socket destroyed)", null);
    }
    pool.onClose(c);
  }

  /** A consistent snapshot of the counters and of every origin's lists. */
  public AgentStats stats() {
    if (loop.inLoop() || !loop.hasThread() || loop.isClosed()) {
      return snapshot();
    }
    CompletableFuture<AgentStats> f = new CompletableFuture<>();
    loop.execute(() -> f.complete(snapshot()));
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading agent stats", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("agent loop did not answer a stats request", e);
    }
  }

  private AgentStats snapshot() {
    return AgentStats.of(counters, pool);
  }

  /**
   * Node's {@code agent.destroy()}, plus: queued and in-flight requests fail ({@code closed_early}
   * for those on a socket, {@code config} for those still queued), every socket is closed, the loop
   * stops. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (loop.inLoop() || !loop.hasThread()) {
      shutdown();
      loop.close();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          shutdown();
          done.complete(null);
        });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("agent loop did not shut down", e);
    } finally {
      loop.close();
    }
  }

  private void shutdown() {
    for (Exchange ex : pool.drainQueued()) {
      ex.fail(ErrorClass.CONFIG, "agent closed while the request was queued", null);
    }
    ArrayList<HttpConnection> sockets = pool.allSockets();
    for (HttpConnection c : sockets) {
      Exchange ex = c.exchange;
      if (ex != null) {
        c.exchange = null;
        ex.fail(ErrorClass.CLOSED_EARLY, "socket hang up (agent closed)", null);
      }
      destroy(c);
    }
  }
}
