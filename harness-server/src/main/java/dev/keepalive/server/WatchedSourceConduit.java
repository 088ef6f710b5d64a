package dev.keepalive.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The bottom of a connection's read side: every byte the client sends passes here exactly once, on
 * its way to Undertow's parser or a request body, and its {@link ConnectionWatch} sees it (to tell
 * an idle connection from one receiving a request, and to check a request's framing).
 *
 * <p>The watch can also stop the flow: {@link ConnectionWatch.Input#HOLD} answers "nothing yet"
 * without reading (a malformed body waits for its 400), {@link ConnectionWatch.Input#DISCARD} reads
 * and drops everything until the client's end of stream (a connection closing after a refusal keeps
 * taking the client's bytes, so the client reads the answer rather than a reset).
 *
 * <p>Thread-safety: IO threads (see the package): used by the connection's reader, one at a time.
 */
final class WatchedSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

  private final ConnectionWatch watch;
  private ByteBuffer scratch;

  WatchedSourceConduit(StreamSourceConduit next, ConnectionWatch watch) {
    super(next);
    this.watch = watch;
  }

  ConnectionWatch watch() {
    return watch;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    switch (watch.input()) {
      case HOLD -> {
        return 0;
      }
      case DISCARD -> {
        return discard();
      }
      default -> {
        int start = dst.position();
        int n = next.read(dst);
        if (n > 0) {
          int kept = watch.onBytes(dst, start, n);
          if (kept < n) {
            dst.position(start + kept);
          }
          return kept;
        }
        return n;
      }
    }
  }

  /** One buffer at a time: a short read is allowed, and every byte still passes {@link #read}. */
  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      if (dsts[i].hasRemaining()) {
        return read(dsts[i]);
      }
    }
    return 0;
  }

  @Override
  public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target)
      throws IOException {
    return Conduits.transfer(this, count, throughBuffer, target);
  }

  @Override
  public long transferTo(long position, long count, FileChannel target) throws IOException {
    return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
  }

  private int discard() throws IOException {
    if (scratch == null) {
      scratch = ByteBuffer.allocate(8192);
    }
    int n;
    do {
      scratch.clear();
      n = next.read(scratch);
    } while (n > 0);
    return n;
  }
}
