package dev.keepalive.agent;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request's life in the agent: queued, given a socket, written, answered (or failed). Records
 * the timestamps behind {@link Timings} and collects the response.
 *
 * <p>Thread-safety: created on any thread, then touched only by the agent's event loop; the caller
 * sees the outcome through {@link #future}, whose completion publishes it.
 */
final class Exchange implements Pool.Waiter, ResponseParser.Handler {

  final Request request;
  final CompletableFuture<Response> future = new CompletableFuture<>();
  final long startNanos;
  final boolean shouldKeepAlive;
  final byte[] encoded;

  HttpConnection connection;
  boolean reusedSocket;
  EventLoop.Timer deadline;
  boolean requestWritten;
  boolean responseDone;
  boolean finished;
  boolean keepAliveAllowed;
  boolean retried;

  long socketNanos;
  long lookupNanos;
  long connectNanos;
  long responseNanos;
  long endNanos;

  private int status;
  private String reason;
  private List<Header> headers;
  private final BodySink body;

  Exchange(Request request, boolean agentKeepsAlive, boolean connectionClose, long startNanos) {
    this.request = request;
    this.startNanos = startNanos;
    this.shouldKeepAlive = request.shouldKeepAlive(agentKeepsAlive);
    this.encoded = request.encoded(connectionClose);
    this.body = new BodySink(request.bodyMode());
  }

  @Override
  public String name() {
    return request.name();
  }

  @Override
  public boolean wantsFreshSocket() {
    return retried;
  }

  /**
   * Back to "not yet sent", for the one retry; the start time stays, so timings include the
   * failure.
   */
  void resetForRetry() {
    retried = true;
    connection = null;
    reusedSocket = false;
    requestWritten = false;
    responseDone = false;
    socketNanos = lookupNanos = connectNanos = responseNanos = endNanos = 0;
  }

  @Override
  public void onHead(int status, String reason, List<Header> headers) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
  }

  @Override
  public void onBody(ByteBuffer data) {
    body.accept(data);
  }

  /** Completes the future with the response; false if the exchange had already ended. */
  boolean succeed(int localPort) {
    if (finished) {
      return false;
    }
    finished = true;
    cancelDeadline();
    Response r =
        new Response(
            status,
            reason,
            List.copyOf(headers),
            body.bytes(),
            body.length(),
            body.sha256Hex(),
            reusedSocket,
            localPort,
            timings());
    future.complete(r);
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
    future.completeExceptionally(
        AgentException.of(errorClass, message, reusedSocket, cause).withLocalPort(port));
    return true;
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }

  private Timings timings() {
    return new Timings(
        millis(socketNanos),
        millis(lookupNanos),
        millis(connectNanos),
        millis(responseNanos),
        millis(endNanos));
  }

  private double millis(long nanos) {
    return nanos == 0 ? Double.NaN : (nanos - startNanos) / 1e6;
  }
}
