package dev.keepalive.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The floor ({@code raw-socket}): the least a client can do per request, driven like our agent —
 * the benchmark thread runs one selector over all its connections, so no request costs a thread
 * hand-off or a thread of its own. Each of the {@code concurrency} slots keeps one keep-alive
 * connection per origin and one request in flight, round-robin over the origins; requests are
 * pre-encoded, only {@code Content-Length} bodies are understood, the body is counted in one shared
 * read buffer. No pool, no queue, no retry: not a product, the physical reference every other row
 * is measured against.
 *
 * <p>Thread-safety: benchmark thread (see the package).
 */
final class RawSocketLoad implements Load {
  private static final long STEP_MILLIS = 100;
  private static final int MAX_HEAD_BYTES = 16 * 1024;

  /** One request in flight at a time, on its own connections (one per origin). */
  private final class Slot {
    final SocketChannel[] channels = new SocketChannel[targets.size()];
    int origin;
    boolean inFlight;
    long startNanos;
    final byte[] head = new byte[MAX_HEAD_BYTES];
    int headLength;
    long bodyLeft = -1; // -1 while the head is being read

    void issue() {
      counts.issued++;
      inFlight = true;
      startNanos = System.nanoTime();
      headLength = 0;
      bodyLeft = -1;
      try {
        SocketChannel c = channels[origin];
        if (c == null) {
          c = SocketChannel.open(address[origin]);
          c.setOption(StandardSocketOptions.TCP_NODELAY, true);
          c.configureBlocking(false);
          c.register(selector, SelectionKey.OP_READ, new Connection(this, origin));
          channels[origin] = c;
          connectionsOpened++;
        }
        ByteBuffer request = ByteBuffer.wrap(requests[origin]);
        while (request.hasRemaining()) {
          c.write(request); // a few dozen bytes into an idle socket's send buffer
        }
      } catch (IOException e) {
        fail(e);
      }
    }

    /**
     * The server closed (or wrote on) an idle connection: it is dropped, the next request opens
     * another.
     */
    void idleReadable(int idleOrigin) {
      SocketChannel c = channels[idleOrigin];
      channels[idleOrigin] = null;
      try {
        c.close();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("raw-socket: closing an idle connection failed", e);
      }
    }

    void readable() {
      SocketChannel c = channels[origin];
      try {
        buffer.clear();
        int n = c.read(buffer);
        if (n < 0) {
          throw new IOException("raw-socket: connection closed before the response ended");
        }
        buffer.flip();
        if (bodyLeft < 0) {
          readHead();
        }
        if (bodyLeft >= 0) {
          if (buffer.remaining() > bodyLeft) {
            throw new IOException("raw-socket: more bytes than the response's Content-Length");
          }
          bodyLeft -= buffer.remaining();
          if (bodyLeft == 0) {
            done(null);
          }
        }
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
    }

    private void readHead() throws IOException {
      while (buffer.hasRemaining()) {
        if (headLength == head.length) {
          throw new IOException("raw-socket: response head over " + MAX_HEAD_BYTES + " bytes");
        }
        head[headLength++] = buffer.get();
        if (headLength >= 4
            && head[headLength - 1] == '\n'
            && head[headLength - 2] == '\r'
            && head[headLength - 3] == '\n'
            && head[headLength - 4] == '\r') {
          bodyLeft = contentLength(new String(head, 0, headLength, StandardCharsets.US_ASCII));
          return;
        }
      }
    }

    private void fail(Exception e) {
      SocketChannel c = channels[origin];
      channels[origin] = null;
      if (c != null) {
        try {
          c.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      done(e);
    }

    private void done(Exception error) {
      inFlight = false;
      if (error == null) {
        counts.ok++;
        if (recording) {
          histograms.recordTotalNanos(System.nanoTime() - startNanos);
        }
      } else {
        counts.error(PeerClient.classify(error));
      }
      origin = origin + 1 == channels.length ? 0 : origin + 1;
      completed.add(this);
    }
  }

  /** A selection key's attachment: which slot's connection to which origin. */
  private record Connection(Slot slot, int origin) {}

  private final List<URI> targets;
  private final InetSocketAddress[] address;
  private final byte[][] requests;
  private final int concurrency;
  private final int work;
  private final PhaseHistograms histograms;
  private final LoadCounts counts = new LoadCounts();
  private final Selector selector;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(PeerClient.BUFFER_BYTES);
  private final ArrayDeque<Slot> completed = new ArrayDeque<>();
  private final Slot[] slots;
  private long connectionsOpened;
  private boolean recording;

  @Override
  public void setRecording(boolean on) {
    recording = on;
  }

  RawSocketLoad(
      List<URI> targets, String path, int concurrency, int work, PhaseHistograms histograms) {
    this.targets = targets;
    this.concurrency = concurrency;
    this.work = work;
    this.histograms = histograms;
    this.address = new InetSocketAddress[targets.size()];
    this.requests = new byte[targets.size()][];
    for (int i = 0; i < targets.size(); i++) {
      URI u = targets.get(i);
      address[i] = new InetSocketAddress(u.getHost(), u.getPort());
      requests[i] =
          ("GET " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort() + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
    }
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("raw-socket: cannot open a selector", e);
    }
    slots = new Slot[concurrency];
    for (int i = 0; i < concurrency; i++) {
      slots[i] = new Slot();
      slots[i].origin = i % targets.size();
    }
  }

  /** The {@code Content-Length} of a response head. */
  static long contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    throw new IOException(
        "raw-socket parses only Content-Length bodies: " + head.lines().findFirst().orElse(""));
  }

  @Override
  public void start() {
    for (Slot s : slots) {
      s.issue();
    }
  }

  private void step(long timeoutMillis) {
    try {
      selector.select(
          key -> {
            if (key.isValid() && key.isReadable()) {
              Connection c = (Connection) key.attachment();
              if (c.slot().inFlight && c.slot().origin == c.origin()) {
                c.slot().readable();
              } else {
                c.slot().idleReadable(c.origin());
              }
            }
          },
          timeoutMillis);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("raw-socket: select failed", e);
    }
  }

  @Override
  public void completeOne() {
    while (completed.isEmpty()) {
      step(STEP_MILLIS);
    }
    Slot s = completed.poll();
    if (work > 0) {
      Blackhole.consumeCPU(work); // the application's work before its next request
    }
    s.issue();
  }

  @Override
  public void drain(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (counts.inFlight() > 0 && System.nanoTime() < deadline) {
      step(STEP_MILLIS);
    }
    completed.clear();
  }

  @Override
  public LoadCounts counts() {
    return counts;
  }

  @Override
  public long clientConnectionsOpened() {
    return connectionsOpened;
  }

  @Override
  public void close() {
    IOException failure = null;
    for (Slot s : slots) {
      for (SocketChannel c : s.channels) {
        if (c != null) {
          try {
            c.close();
          } catch (IOException e) {
            failure = e;
          }
        }
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      failure = e;
    }
    if (failure != null) {
      throw new java.io.UncheckedIOException("raw-socket: closing failed", failure);
    }
  }
}
