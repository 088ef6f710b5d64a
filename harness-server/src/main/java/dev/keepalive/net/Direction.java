package dev.keepalive.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One direction of a {@link Flow} (client → server or server → client): the bytes read from one
 * side, each chunk stamped with the time it is due at the other side, delivered in order. The
 * stream ends with an EOF (delivered as {@code shutdownOutput}) and/or a reset (delivered as an
 * RST), each also due after the one-way delay.
 *
 * <p>Thread-safety: confined to the flow's loop.
 */
final class Direction extends LoopTask {

  /**
   * Bytes held per direction before the relay stops reading from the source: the path's "window". 1
   * MiB keeps 50 ms of a 160 Mbit/s stream in flight, far more than the benchmarks' payloads.
   */
  static final int WINDOW_BYTES = 1 << 20;

  private enum Kind {
    DATA,
    EOF,
    RESET
  }

  private static final class Chunk {
    final Kind kind;
    final byte[] data;
    final long dueNanos;
    int offset;

    Chunk(Kind kind, byte[] data, long dueNanos) {
      this.kind = kind;
      this.data = data;
      this.dueNanos = dueNanos;
    }
  }

  final Flow flow;
  final boolean toServer;
  private final PathModel path;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long earliestDepartNanos;
  private long linkFreeNanos;
  private long lastDueNanos;

  /** The source has ended (EOF read) or a reset is queued: nothing more is read from it. */
  boolean ended;

  private boolean resetQueued;

  /** The destination's send buffer is full: the head waits for {@code OP_WRITE}. */
  boolean writeBlocked;

  /** The EOF reached the destination ({@code shutdownOutput} done). */
  boolean eofDelivered;

  /** Dropped: its destination is gone; nothing more is queued or delivered. */
  private boolean dropped;

  Direction(Flow flow, boolean toServer, PathModel path, long handshakeDoneNanos) {
    this.flow = flow;
    this.toServer = toServer;
    this.path = path;
    this.earliestDepartNanos = handshakeDoneNanos;
  }

  /** Bytes are held up to the window: the loop stops reading the source while this is true. */
  boolean full() {
    return queuedBytes >= WINDOW_BYTES;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Queues the bytes {@code src} holds (position to limit), read at {@code nowNanos}. */
  void enqueue(ByteBuffer src, long nowNanos) {
    if (dropped || ended) {
      return;
    }
    byte[] data = new byte[src.remaining()];
    src.get(data);
    queuedBytes += data.length;
    add(new Chunk(Kind.DATA, data, dueAfter(data.length, nowNanos)), nowNanos);
  }

  /** The source ended: an EOF, or with {@code reset} an RST, follows the bytes already queued. */
  void end(boolean reset, long nowNanos) {
    if (dropped || resetQueued || (ended && !reset)) {
      return;
    }
    ended = true;
    resetQueued = reset;
    add(new Chunk(reset ? Kind.RESET : Kind.EOF, null, dueAfter(0, nowNanos)), nowNanos);
  }

  /** The destination is gone: forget everything queued. */
  void drop() {
    dropped = true;
    ended = true;
    queue.clear();
    queuedBytes = 0;
    writeBlocked = false;
  }

  private long dueAfter(int bytes, long nowNanos) {
    long depart = Math.max(nowNanos, Math.max(earliestDepartNanos, linkFreeNanos));
    long sent = depart + path.serialisationNanos(bytes);
    linkFreeNanos = sent;
    long due = Math.max(sent + path.oneWayNanos(), lastDueNanos);
    lastDueNanos = due;
    return due;
  }

  private void add(Chunk c, long nowNanos) {
    queue.add(c);
    if (queue.size() == 1) {
      flush(nowNanos);
    }
  }

  @Override
  void fire(long nowNanos) {
    if (!flow.isClosed()) {
      flush(nowNanos);
      flow.updateInterest();
    }
  }

  /**
   * Delivers every chunk due by {@code nowNanos} that the destination takes; arms the timer for the
   * next one. I/O failures of the destination go to the flow.
   */
  void flush(long nowNanos) {
    SocketChannel dest = flow.destination(this);
    Chunk head;
    while (!dropped && (head = queue.peek()) != null && head.dueNanos <= nowNanos) {
      if (dest == null || writeBlocked) {
        return; // not connected yet, or waiting for OP_WRITE
      }
      try {
        switch (head.kind) {
          case DATA -> {
            int n =
                dest.write(ByteBuffer.wrap(head.data, head.offset, head.data.length - head.offset));
            head.offset += n;
            queuedBytes -= n;
            if (n > 0) {
              flow.touched(nowNanos);
            }
            if (head.offset < head.data.length) {
              writeBlocked = true;
              return;
            }
            queue.poll();
          }
          case EOF -> {
            queue.poll();
            dest.shutdownOutput();
            eofDelivered = true;
            flow.eofDelivered();
          }
          case RESET -> {
            queue.poll();
            flow.deliverReset();
            return;
          }
        }
      } catch (IOException e) {
        flow.failed(this, e, nowNanos);
        return;
      }
    }
    if (!dropped && !armed && (head = queue.peek()) != null && head.dueNanos > nowNanos) {
      flow.loop.schedule(this, head.dueNanos);
    }
  }
}
