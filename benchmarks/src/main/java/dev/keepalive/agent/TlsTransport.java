package dev.keepalive.agent;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket: drives an {@link SSLEngine} on the agent's loop, with no thread
 * of its own. The handshake's delegated tasks (certificate checks, key agreement) run inline on the
 * loop — their cost is part of what a new connection costs, as it is in Node.
 *
 * <p>Thread-safety: confined to the agent's event loop.
 */
final class TlsTransport extends Transport {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final SSLEngine engine;

  /** Ciphertext received, not yet unwrapped: write mode, bytes in [0, position). */
  private final ByteBuffer netIn;

  /** Ciphertext to send: read mode, bytes in [position, limit). */
  private final ByteBuffer netOut;

  /** Application bytes unwrapped during the handshake or beyond a full {@code dst}. */
  private final ByteBuffer appIn;

  private boolean handshakeDone;
  private boolean closedByPeer;

  TlsTransport(SocketChannel channel, SSLEngine engine) throws SSLException {
    this.channel = channel;
    this.engine = engine;
    int packet = engine.getSession().getPacketBufferSize();
    this.netIn = ByteBuffer.allocate(packet);
    this.netOut = ByteBuffer.allocate(packet).flip();
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    engine.beginHandshake();
  }

  SSLEngine engine() {
    return engine;
  }

  @Override
  boolean secure() {
    return true;
  }

  @Override
  boolean handshake() throws IOException {
    while (!handshakeDone) {
      if (!flush()) {
        return false;
      }
      HandshakeStatus hs = engine.getHandshakeStatus();
      switch (hs) {
        case NEED_WRAP -> wrap(EMPTY);
        case NEED_TASK -> runTasks();
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (!unwrapOnce()) {
            int n = channel.read(netIn);
            if (n < 0) {
              throw new EOFException("the server closed the connection during the TLS handshake");
            }
            if (n == 0) {
              return false;
            }
          }
        }
        case FINISHED, NOT_HANDSHAKING -> handshakeDone = true;
      }
    }
    return flush();
  }

  /** One unwrap of buffered ciphertext into {@link #appIn}; false if a whole record is missing. */
  private boolean unwrapOnce() throws IOException {
    netIn.flip();
    appIn.compact();
    SSLEngineResult r;
    try {
      r = engine.unwrap(netIn, appIn);
    } finally {
      appIn.flip();
      netIn.compact();
    }
    switch (r.getStatus()) {
      case OK -> {
        if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
          runTasks();
        }
        return true;
      }
      case BUFFER_UNDERFLOW -> {
        return false;
      }
      case CLOSED -> {
        closedByPeer = true;
        if (!handshakeDone) {
          throw new SSLException("the server closed the TLS session during the handshake");
        }
        return true;
      }
      case BUFFER_OVERFLOW ->
          throw new SSLException("a TLS record larger than the session's application buffer");
      default -> throw new AssertionError(r.getStatus());
    }
  }

  private void wrap(ByteBuffer src) throws SSLException {
    netOut.compact();
    SSLEngineResult r;
    try {
      r = engine.wrap(src, netOut);
    } finally {
      netOut.flip();
    }
    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new SSLException("the TLS session is closed");
    }
    if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
      runTasks();
    }
  }

  private void runTasks() {
    for (Runnable task = engine.getDelegatedTask();
        task != null;
        task = engine.getDelegatedTask()) {
      task.run();
    }
  }

  /** Sends buffered ciphertext; true when none is left. */
  private boolean flush() throws IOException {
    while (netOut.hasRemaining()) {
      if (channel.write(netOut) == 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  boolean write(ByteBuffer src) throws IOException {
    if (!flush()) {
      return false;
    }
    while (src.hasRemaining()) {
      wrap(src);
      if (!flush()) {
        return false;
      }
    }
    return true;
  }

  @Override
  int read(ByteBuffer dst) throws IOException {
    int start = dst.position();
    while (true) {
      if (appIn.hasRemaining()) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        dst.put(dst.position(), appIn, appIn.position(), n);
        dst.position(dst.position() + n);
        appIn.position(appIn.position() + n);
        if (!dst.hasRemaining()) {
          return dst.position() - start;
        }
      }
      if (closedByPeer) {
        int got = dst.position() - start;
        return got > 0 ? got : -1; // close_notify: the end of the stream
      }
      if (netIn.position() > 0 && unwrapOnce()) {
        if (!closedByPeer && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
          wrap(EMPTY); // a post-handshake reply (a key update)
          flush();
        }
        continue; // after a close_notify: the end of the stream, without answering it
      }
      int n = channel.read(netIn);
      if (n < 0) {
        int got = dst.position() - start;
        // EOF without close_notify: a truncation. The HTTP parser decides whether it cut a
        // response short; a half record in netIn is lost either way.
        return got > 0 ? got : -1;
      }
      if (n == 0) {
        return dst.position() - start;
      }
    }
  }

  @Override
  boolean wantsWrite() {
    return netOut.hasRemaining();
  }

  @Override
  boolean hasBuffered() {
    return appIn.hasRemaining() || netIn.position() > 0;
  }
}
