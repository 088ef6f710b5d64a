package dev.keepalive.agent;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One request's life in the agent, and the owner of its state: queued, {@linkplain #assigned given
 * a socket}, {@linkplain #connected connected}, {@linkplain #written written}, {@linkplain
 * #firstByte answered}, {@linkplain #responseDone done} — then {@linkplain #succeed succeeded} or
 * {@linkplain #fail failed}, exactly once. Timestamps are {@code System.nanoTime()} values; the
 * response reports them relative to {@link #startNanos}.
 *
 * <p>Thread-safety: created on any thread, then confined to the agent's event loop (asserted at
 * every transition); the caller sees the outcome through {@link #future}, whose completion
 * publishes it.
 */
final class Exchange implements Pool.Waiter, ResponseParser.Handler {

  private static final System.Logger LOG = System.getLogger("dev.keepalive.agent");

  final Request request;

  /** Where the outcome goes: the future, or the callback when the caller gave one. */
  final CompletableFuture<Response> future;

  private final BiConsumer<Response, AgentException> callback;
  final long startNanos;
  final boolean shouldKeepAlive;
  final byte[] encoded;
  private final EventLoop loop;

  /** The next exchange of a burst issued in one loop step ({@link Agent#requestAll}). */
  Exchange next;

  private HttpConnection connection;
  private EventLoop.Timer deadline;
  private boolean reusedSocket;
  private boolean newConnection;
  private boolean requestWritten;
  private boolean responseDone;
  private boolean finished;
  private boolean retried;

  private long socketNanos;
  private long lookupNanos;
  private long connectNanos;
  private long secureConnectNanos;
  private long responseNanos;
  private long endNanos;

  private int status;
  private ResponseHead head;
  private final BodySink body;
  private long bodyLength;

  /** The origin key: {@link Request#name()}, with the agent's TLS options for https. */
  private final String name;

  Exchange(
      EventLoop loop,
      Request request,
      String name,
      boolean agentKeepsAlive,
      boolean connectionClose,
      BiConsumer<Response, AgentException> callback) {
    this.loop = loop;
    this.request = request;
    this.name = name;
    this.callback = callback;
    this.future = callback == null ? new CompletableFuture<>() : null;
    this.startNanos = System.nanoTime();
    this.shouldKeepAlive = request.shouldKeepAlive(agentKeepsAlive);
    this.encoded = request.encoded(connectionClose);
    this.body = request.bodyMode() == BodyMode.COUNT ? null : new BodySink(request.bodyMode());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean wantsFreshSocket() {
    return retried;
  }

  boolean finished() {
    return finished;
  }

  boolean reusedSocket() {
    return reusedSocket;
  }

  boolean retried() {
    return retried;
  }

  /** The connection serving this exchange, or null while queued. */
  HttpConnection connection() {
    return connection;
  }

  /**
   * Whether the whole-request deadline ({@link Request#timeoutMillis()}) has passed at {@code now}.
   */
  boolean pastDeadline(long nowNanos) {
    long timeoutMillis = request.timeoutMillis();
    return timeoutMillis > 0 && nowNanos - startNanos - timeoutMillis * 1_000_000 >= 0;
  }

  /** Arms the whole-request deadline ({@link Request#timeoutMillis()}), counted from the start. */
  void armDeadline(Runnable onDeadline) {
    assert loop.inLoop();
    long timeoutMillis = request.timeoutMillis();
    if (timeoutMillis > 0) {
      long left = timeoutMillis * 1_000_000 - (System.nanoTime() - startNanos);
      deadline = loop.schedule(Math.max(0, left), onDeadline);
    }
  }

  /** A socket was given to this exchange, from the free pool iff {@code reused}. */
  void assigned(HttpConnection c, boolean reused, boolean connected, long createdNanos) {
    assert loop.inLoop();
    connection = c;
    reusedSocket = reused;
    if (connected) {
      socketNanos = System.nanoTime();
      lookupNanos = socketNanos;
      connectNanos = socketNanos;
      secureConnectNanos = socketNanos;
    } else {
      newConnection = true;
      socketNanos = Math.max(createdNanos, startNanos);
    }
  }

  /**
   * The socket this exchange waited for is ready: TCP connected at {@code connectNanos}, and (for
   * TLS) the handshake done at {@code secureConnectNanos} ({@code == connectNanos} without TLS).
   */
  void connected(long lookupNanos, long connectNanos, long secureConnectNanos) {
    assert loop.inLoop();
    this.lookupNanos = Math.max(lookupNanos, socketNanos);
    this.connectNanos = Math.max(connectNanos, this.lookupNanos);
    this.secureConnectNanos = Math.max(secureConnectNanos, this.connectNanos);
  }

  /** The first response bytes arrived (the first call counts). */
  void firstByte(long nowNanos) {
    assert loop.inLoop();
    if (responseNanos == 0) {
      responseNanos = nowNanos;
    }
  }

  /** The request is fully written; true if the response is complete too. */
  boolean written() {
    assert loop.inLoop();
    requestWritten = true;
    return responseDone;
  }

  /** The response is complete; true if the request is fully written too. */
  boolean responseDone(long nowNanos) {
    assert loop.inLoop();
    endNanos = nowNanos;
    responseDone = true;
    return requestWritten;
  }

  boolean isResponseDone() {
    return responseDone;
  }

  /**
   * Back to "not yet sent", for the one retry; the start time stays, so timings include the
   * failure.
   */
  void resetForRetry() {
    assert loop.inLoop();
    retried = true;
    connection = null;
    reusedSocket = false;
    newConnection = false;
    requestWritten = false;
    responseDone = false;
    socketNanos = lookupNanos = connectNanos = secureConnectNanos = responseNanos = endNanos = 0;
    status = 0;
    head = null;
    bodyLength = 0;
  }

  @Override
  public void onHead(int status, ResponseHead head) {
    this.status = status;
    this.head = head;
  }

  @Override
  public void onBody(ByteBuffer data) {
    bodyLength += data.remaining();
    if (body == null) {
      data.position(data.limit());
    } else {
      body.accept(data);
    }
  }

  /** Completes the future with the response; false if the exchange had already ended. */
  boolean succeed(int localPort) {
    assert loop.inLoop();
    if (finished) {
      return false;
    }
    finished = true;
    cancelDeadline();
    Timings timings =
        new Timings(
            socketNanos - startNanos,
            lookupNanos - startNanos,
            connectNanos - startNanos,
            secureConnectNanos - startNanos,
            responseNanos - startNanos,
            endNanos - startNanos,
            newConnection);
    Response response =
        new Response(
            status,
            head,
            body == null ? null : body.bytes(),
            bodyLength,
            body == null ? null : body.sha256Hex(),
            reusedSocket,
            localPort,
            timings);
    if (callback == null) {
      future.complete(response);
    } else {
      call(response, null);
    }
    return true;
  }

  /** Fails the future with a classified error; false if the exchange had already ended. */
  boolean fail(ErrorClass errorClass, String message, Throwable cause) {
    if (finished) {
      return false;
    }
    finished = true;
    cancelDeadline();
    int port = connection == null ? 0 : connection.localPort();
    AgentException e = AgentException.of(errorClass, message, reusedSocket, cause);
    e.withLocalPort(port);
    if (callback == null) {
      future.completeExceptionally(e);
    } else {
      call(null, e);
    }
    return true;
  }

  /**
   * Hands the outcome to the caller's callback. A callback that throws is the caller's bug: it is
   * logged at ERROR and does not stop the agent's bookkeeping (the socket is still released or
   * closed).
   */
  private void call(Response response, AgentException failure) {
    try {
      callback.accept(response, failure);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "a request callback threw; the agent carries on", e);
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }
}
