package dev.keepalive.server;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.ConnectionUtils;
import io.undertow.util.Headers;
import io.undertow.util.StringWriteChannelListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One TCP connection from accept to close: its idle and request-read timeouts, its place in the TCP
 * view of the counters, and the checks on its bytes that Undertow's parser does not make.
 *
 * <p>Phases: {@code IDLE} (no byte of a request yet: the idle timeout runs), {@code HEAD} (a
 * request's first byte arrived, its head is not complete: the head must be complete within the
 * request-read timeout), {@code BODY} (the request reached the routes, its body is still arriving:
 * every pause in it must be shorter than the request-read timeout), {@code SERVING} (the request is
 * all in; no read timeout), {@code CLOSING}.
 *
 * <p>Why this replaces Undertow's own idle timer ({@code NO_REQUEST_TIMEOUT}): that timer runs on
 * the IO thread after the thread's other work, so when one IO thread is busy for longer than the
 * idle timeout (a large upload, a GC pause), it closes connections whose next request is already
 * waiting in the socket, unread: the client gets a reset and no response. Here a timeout first lets
 * the connection's reader take what is waiting, and a connection with a request arriving is never
 * idle.
 *
 * <p>Thread-safety: locked (see the package). Reads and timers run on the connection's IO thread;
 * an exchange may end on a worker thread. No listener, response or close is called while the lock
 * is held (the counters' lock and XNIO's timer queue are: they call nothing back).
 */
final class ConnectionWatch {

  /** What the connection's {@link WatchedSourceConduit} does with the client's bytes. */
  enum Input {
    PASS,
    HOLD,
    DISCARD
  }

  /** A route reading a request body, which can answer for it when the body fails. */
  interface BodyReader {
    /** Stops reading and answers {@code status} with {@code reason}, closing the connection. */
    void abort(int status, String reason);
  }

  private enum Phase {
    IDLE,
    HEAD,
    BODY,
    SERVING,
    CLOSING
  }

  private static final long NONE = Long.MAX_VALUE;

  private final StreamConnection connection;
  private final ListenerCounters counters;
  private final long acceptEpoch;
  private final long idleNanos;
  private final long readNanos;
  private final RequestLineScanner requestLine = new RequestLineScanner();

  /** One listener for all the connection's exchanges: nothing is allocated per request. */
  private final ExchangeCompletionListener onExchangeComplete =
      (done, next) -> {
        exchangeDone();
        next.proceed();
      };

  private Phase phase = Phase.IDLE;
  private long phaseSinceNanos;
  private long lastReadNanos;
  private Input input = Input.PASS;
  private boolean served;
  private boolean closed;
  private AbstractServerConnection server;
  private HttpServerExchange exchange;
  private BodyReader bodyReader;
  private ChunkedFraming chunked;
  private String requestVersion;
  private XnioExecutor.Key timer;
  private long timerAtNanos = NONE;

  /** Called on the connection's IO thread when it is accepted, before Undertow sees it. */
  ConnectionWatch(StreamConnection connection, ListenerCounters counters, ServerOptions options) {
    this.connection = connection;
    this.counters = counters;
    this.acceptEpoch = counters.onSocketAccepted();
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(options.idleTimeoutMillis());
    this.readNanos = TimeUnit.MILLISECONDS.toNanos(options.requestReadTimeoutMillis());
    synchronized (this) {
      phaseSinceNanos = System.nanoTime();
      requestLine.arm();
      reschedule();
    }
  }

  /** The watch of the connection an exchange runs on. */
  static ConnectionWatch of(HttpServerExchange exchange) {
    AbstractServerConnection c = (AbstractServerConnection) exchange.getConnection();
    if (c.getOriginalSourceConduit() instanceof WatchedSourceConduit w) {
      return w.watch();
    }
    throw new IllegalStateException("connection not accepted by the harness server's listeners");
  }

  /**
   * Hears the connection's close. XNIO merges close listeners, so Undertow's own, set when it takes
   * the connection, runs too; one set after the close runs at once.
   */
  void hookClose() {
    connection.setCloseListener(c -> closed());
  }

  synchronized Input input() {
    return input;
  }

  /**
   * Sees {@code n} bytes the client just sent, at [start, start + n) of {@code dst}; returns how
   * many of them may go on (fewer when a chunked body broke its framing there).
   */
  synchronized int onBytes(ByteBuffer dst, int start, int n) {
    long now = System.nanoTime();
    lastReadNanos = now;
    if (phase == Phase.IDLE) {
      phase = Phase.HEAD;
      phaseSinceNanos = now;
      reschedule();
    }
    if (requestLine.armed()) {
      requestLine.scan(dst, start, start + n);
    }
    if (chunked != null && !chunked.done() && chunked.problem() == null) {
      int kept = chunked.check(dst, start, start + n);
      if (chunked.problem() != null) {
        input = Input.HOLD;
        execute(this::malformedBody);
        return kept;
      }
    }
    return n;
  }

  /** A request reached the routes (on the IO thread, before any route runs). */
  void requestStarted(HttpServerExchange ex) {
    synchronized (this) {
      if (!served) {
        served = true;
        counters.onSocketServed();
      }
      server = (AbstractServerConnection) ex.getConnection();
      exchange = ex;
      bodyReader = null;
      requestVersion = requestLine.version();
      lastReadNanos = System.nanoTime();
      phase = ex.isRequestComplete() ? Phase.SERVING : Phase.BODY;
      chunked = null;
      if (phase == Phase.BODY
          && "chunked"
              .equalsIgnoreCase(trim(ex.getRequestHeaders().getFirst(Headers.TRANSFER_ENCODING)))) {
        chunked = new ChunkedFraming();
        if (server.getExtraBytes() != null) {
          ByteBuffer extra = server.getExtraBytes().getBuffer();
          chunked.check(extra, extra.position(), extra.limit());
        }
      }
      reschedule();
    }
    ex.addExchangeCompleteListener(onExchangeComplete);
  }

  /** The version token of the current request's line as the client sent it, or null. */
  synchronized String requestVersion() {
    return requestVersion;
  }

  /** What broke the current request's chunked framing in the bytes read so far, or null. */
  synchronized String chunkedProblem() {
    return chunked == null ? null : chunked.problem();
  }

  /** The route that reads the current request's body; it answers if the body fails. */
  synchronized void bodyReader(BodyReader reader) {
    bodyReader = reader;
  }

  /**
   * The connection closes after the current response: no more timeouts, and the client's further
   * bytes are read and dropped so that it sees the response rather than a reset.
   */
  synchronized void closing() {
    phase = Phase.CLOSING;
    input = Input.DISCARD;
  }

  private synchronized void exchangeDone() {
    exchange = null;
    bodyReader = null;
    chunked = null;
    if (phase == Phase.CLOSING) {
      return;
    }
    requestLine.arm();
    phaseSinceNanos = System.nanoTime();
    phase = Phase.IDLE;
    if (server.getExtraBytes() != null && server.getExtraBytes().getBuffer().hasRemaining()) {
      // the next request arrived with this one (pipelined): it is under way already
      ByteBuffer extra = server.getExtraBytes().getBuffer();
      requestLine.scan(extra, extra.position(), extra.limit());
      phase = Phase.HEAD;
    }
    reschedule();
  }

  private synchronized void closed() {
    if (closed) {
      return;
    }
    closed = true;
    phase = Phase.CLOSING;
    cancelTimer();
    if (!served) {
      counters.onSocketClosedUnserved(acceptEpoch);
    }
  }

  private long deadline() {
    return switch (phase) {
      case IDLE -> idleNanos > 0 ? phaseSinceNanos + idleNanos : NONE;
      case HEAD -> readNanos > 0 ? phaseSinceNanos + readNanos : NONE;
      case BODY -> readNanos > 0 ? lastReadNanos + readNanos : NONE;
      case SERVING, CLOSING -> NONE;
    };
  }

  /** Makes the timer fire no later than the current deadline (an early one re-arms itself). */
  private void reschedule() {
    long deadline = deadline();
    if (deadline == NONE || closed || (timer != null && timerAtNanos <= deadline)) {
      return;
    }
    cancelTimer();
    long delay = Math.max(0, deadline - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(1);
    try {
      timer = connection.getIoThread().executeAfter(this::onTimer, delay, TimeUnit.NANOSECONDS);
      timerAtNanos = deadline;
    } catch (RejectedExecutionException e) {
      // the worker is shutting down, and closes every connection itself
      timer = null;
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.remove();
      timer = null;
      timerAtNanos = NONE;
    }
  }

  private void onTimer() {
    synchronized (this) {
      timer = null;
      timerAtNanos = NONE;
      if (!due()) {
        return;
      }
    }
    // Bytes may be waiting that a busy IO thread has not read yet: let the reader take them first.
    ConduitStreamSourceChannel source = connection.getSourceChannel();
    if (source.isReadResumed()) {
      ChannelListeners.invokeChannelListener(source, source.getReadListener());
    }
    Phase expired;
    BodyReader reader = null;
    synchronized (this) {
      if (!due()) {
        return;
      }
      expired = phase;
      phase = Phase.CLOSING;
      if (expired != Phase.IDLE) {
        counters.onRequestReadTimeout();
        input = Input.DISCARD;
        if (expired == Phase.BODY && !exchange.isResponseStarted()) {
          reader = bodyReader;
        }
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(readNanos);
    switch (expired) {
      case IDLE -> IoUtils.safeClose(connection);
      case HEAD -> requestTimeout("the request head did not arrive within " + millis + " ms");
      default -> {
        if (reader != null) {
          reader.abort(408, "the request body stopped arriving for " + millis + " ms");
        } else {
          IoUtils.safeClose(connection);
        }
      }
    }
  }

  /** True when the current phase's deadline has passed; re-arms the timer when it has not. */
  private boolean due() {
    if (closed) {
      return false;
    }
    if (phase == Phase.BODY && exchange.isRequestComplete()) {
      phase = Phase.SERVING;
    }
    long deadline = deadline();
    if (deadline == NONE) {
      return false;
    }
    if (System.nanoTime() < deadline) {
      reschedule();
      return false;
    }
    return true;
  }

  /** Answers 408 on a connection with no exchange (a head that never completed), then closes. */
  private void requestTimeout(String reason) {
    byte[] body = (reason + "\n").getBytes(StandardCharsets.US_ASCII);
    String response =
        "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n\r\n"
            + new String(body, StandardCharsets.US_ASCII);
    new StringWriteChannelListener(response, StandardCharsets.US_ASCII) {
      @Override
      protected void writeDone(StreamSinkChannel channel) {
        ConnectionUtils.cleanClose(connection);
      }

      @Override
      protected void handleError(StreamSinkChannel channel, IOException e) {
        IoUtils.safeClose(connection);
      }
    }.setup(connection.getSinkChannel());
  }

  private void malformedBody() {
    BodyReader reader;
    String problem;
    synchronized (this) {
      if (closed || phase == Phase.CLOSING || chunked == null) {
        return;
      }
      phase = Phase.CLOSING;
      input = Input.DISCARD;
      problem = chunked.problem();
      reader = exchange.isResponseStarted() ? null : bodyReader;
    }
    if (reader != null) {
      reader.abort(400, "malformed chunked body: " + problem);
    } else {
      IoUtils.safeClose(connection);
    }
  }

  private void execute(Runnable task) {
    try {
      connection.getIoThread().execute(task);
    } catch (RejectedExecutionException e) {
      // the worker is shutting down, and closes every connection itself
      input = Input.DISCARD;
    }
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }
}
