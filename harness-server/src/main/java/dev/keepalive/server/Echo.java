package dev.keepalive.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * {@code POST /echo}: 200 with the request body, as {@code application/octet-stream} with {@code
 * Content-Length}, for a {@code Content-Length} or a chunked request.
 *
 * <p>The body is buffered, then sent; it is not streamed. A streamed echo starts its response while
 * the request is still arriving, and a client that writes its whole body before reading (Apache
 * HttpClient's classic API, OkHttp, a plain socket: the peers of this harness) deadlocks with it as
 * soon as the socket buffers fill, a few MB. Buffering is bounded twice instead:
 *
 * <ul>
 *   <li>one body is at most {@link HarnessServer#MAX_BODY_BYTES}: a larger declared {@code
 *       Content-Length}, or a chunked body that grows past it, is answered 413;
 *   <li>all bodies buffered at once fit the server's {@link EchoBudget}: an upload that would go
 *       over it is answered 503 with {@code Retry-After: 1}.
 * </ul>
 *
 * Both answers carry a one-line reason; the rest of the body is then read and dropped, so the
 * client reads the answer rather than a reset (see {@link Replies#refuseThenDrain}). A declared
 * length is taken from the budget before any byte is read; a chunked body takes it 64 KiB at a
 * time.
 *
 * <p>Reads go straight into 64 KiB buffers, at most 1 MiB per read event, so one fast upload cannot
 * hold an IO thread (the earlier echo copied byte by byte through a synchronized stream: about 1.5
 * s of one IO thread per 60 MB).
 *
 * <p>Thread-safety: IO threads (see the package): one instance per request, on its connection's IO
 * thread; the budget it took is guarded by its lock, as the exchange may end on another thread.
 */
final class Echo implements ChannelListener<StreamSourceChannel>, ConnectionWatch.BodyReader {

  static final int CHUNK = 64 * 1024;
  private static final int READ_SLICE = 1 << 20;

  private final HttpServerExchange exchange;
  private final Replies replies;
  private final EchoBudget budget;
  private final ConnectionWatch watch;
  private final long declared;
  private final List<ByteBuffer> chunks = new ArrayList<>();
  private StreamSourceChannel channel;
  private long received;
  private long taken;
  private boolean finished;

  private Echo(HttpServerExchange exchange, Replies replies, EchoBudget budget, ConnectionWatch w) {
    this.exchange = exchange;
    this.replies = replies;
    this.budget = budget;
    this.watch = w;
    this.declared = exchange.getRequestContentLength();
  }

  static void handle(
      HttpServerExchange exchange, Replies replies, EchoBudget budget, ConnectionWatch watch) {
    new Echo(exchange, replies, budget, watch).start();
  }

  private void start() {
    if (declared > HarnessServer.MAX_BODY_BYTES) {
      tooLarge("a Content-Length of " + declared);
      return;
    }
    if (declared > 0 && !take(declared)) {
      return;
    }
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          release();
          next.proceed();
        });
    if (exchange.isRequestComplete()) {
      respond();
      return;
    }
    channel = exchange.getRequestChannel();
    watch.bodyReader(this);
    channel.getReadSetter().set(this);
    handleEvent(channel);
  }

  @Override
  public void handleEvent(StreamSourceChannel ignored) {
    if (finished) {
      return;
    }
    try {
      for (long slice = 0; slice < READ_SLICE; ) {
        if (declared >= 0 && received == declared) {
          respond();
          return;
        }
        ByteBuffer buffer = bufferWithRoom();
        if (buffer == null) {
          return;
        }
        int n = channel.read(buffer);
        if (n == -1) {
          respond();
          return;
        }
        if (n == 0) {
          channel.resumeReads();
          return;
        }
        received += n;
        slice += n;
        if (received > HarnessServer.MAX_BODY_BYTES) {
          tooLarge("a chunked body of more than " + HarnessServer.MAX_BODY_BYTES + " bytes");
          return;
        }
      }
      // yield the IO thread to other connections; the selector calls back while bytes wait
      channel.resumeReads();
    } catch (IOException e) {
      stopReading();
      if (exchange.isResponseStarted()) {
        IoUtils.safeClose(exchange.getConnection());
      } else {
        replies.refuseAndClose(exchange, watch, 400, "cannot read the request body: " + e);
      }
    }
  }

  /** The request-read timeout or a broken chunked framing ends the body (see the watch). */
  @Override
  public void abort(int status, String reason) {
    if (finished) {
      IoUtils.safeClose(exchange.getConnection());
      return;
    }
    stopReading();
    replies.refuseAndClose(exchange, watch, status, reason);
  }

  /** The last buffer if it has room, else a new one; null when the budget is spent (answered). */
  private ByteBuffer bufferWithRoom() {
    ByteBuffer last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
    if (last != null && last.hasRemaining()) {
      return last;
    }
    long allocated = (long) chunks.size() * CHUNK;
    int size;
    if (declared >= 0) {
      size = (int) Math.min(CHUNK, declared - allocated);
    } else {
      size = CHUNK;
      if (!take(size)) {
        return null;
      }
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    chunks.add(b);
    return b;
  }

  private boolean take(long bytes) {
    if (budget.tryTake(bytes)) {
      synchronized (this) {
        taken += bytes;
      }
      return true;
    }
    stopReading();
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
    replies.refuseThenDrain(
        exchange,
        watch,
        503,
        "/echo is buffering "
            + budget.usedBytes()
            + " bytes of other uploads and this one needs "
            + (declared >= 0 ? declared : received + bytes)
            + " more: over its "
            + budget.limitBytes()
            + "-byte budget; retry later");
    return false;
  }

  private void tooLarge(String what) {
    stopReading();
    replies.refuseThenDrain(
        exchange,
        watch,
        413,
        "/echo takes bodies of at most "
            + HarnessServer.MAX_BODY_BYTES
            + " bytes; this request has "
            + what);
  }

  private void respond() {
    stopReading();
    ByteBuffer[] body = new ByteBuffer[chunks.size()];
    for (int i = 0; i < body.length; i++) {
      body[i] = chunks.get(i).flip();
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
    replies.send(exchange, body, received);
  }

  private void stopReading() {
    finished = true;
    if (channel != null) {
      channel.getReadSetter().set(null);
      channel.suspendReads();
    }
  }

  /**
   * Gives the body's share of the budget back when the exchange ends (Undertow ends it on a close
   * too).
   */
  private synchronized void release() {
    budget.give(taken);
    taken = 0;
    chunks.clear();
  }
}
