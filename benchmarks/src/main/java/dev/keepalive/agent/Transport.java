package dev.keepalive.agent;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * How a connection's bytes reach its socket: as they are ({@link #plain}), or through TLS ({@link
 * TlsTransport}). Non-blocking: every call does what the socket allows now and says whether more is
 * left, so the connection knows which readiness to wait for.
 *
 * <p>Thread-safety: confined to the agent's event loop, like the connection that owns it.
 */
abstract class Transport {

  /**
   * A new non-blocking socket with the agent's options: {@code TCP_NODELAY}, and for keep-alive
   * agents TCP keep-alive after {@code keepAliveMsecs} (whole seconds, at least 1).
   *
   * @throws IllegalArgumentException when the OS refuses an option (the request fails {@code
   *     config})
   */
  static SocketChannel openChannel(AgentOptions options) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (options.keepAlive()) {
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
          channel.setOption(
              ExtendedSocketOptions.TCP_KEEPIDLE, Math.max(1, options.keepAliveMsecs() / 1000));
        }
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e instanceof IOException io
          ? new IllegalArgumentException("the OS refused a socket option: " + io.getMessage(), io)
          : (RuntimeException) e;
    }
  }

  /** A connected socket carrying HTTP as it is. */
  static Transport plain(SocketChannel channel) {
    return new Plain(channel);
  }

  /** Whether a handshake happens before application bytes (TLS). */
  abstract boolean secure();

  /**
   * Advances the handshake as far as the socket allows.
   *
   * @return true once the connection can carry application bytes
   * @throws IOException the handshake failed ({@link javax.net.ssl.SSLException} for TLS)
   */
  abstract boolean handshake() throws IOException;

  /**
   * Writes application bytes from {@code src} as far as the socket takes them.
   *
   * @return true when everything is out, {@code src} and any bytes the transport still held
   */
  abstract boolean write(ByteBuffer src) throws IOException;

  /**
   * Reads application bytes into {@code dst}.
   *
   * @return bytes read, 0 when none are available now, -1 at the end of the stream
   */
  abstract int read(ByteBuffer dst) throws IOException;

  /** Whether bytes are waiting to be written: wait for the socket to be writable. */
  abstract boolean wantsWrite();

  /**
   * Whether bytes already received may yield application bytes without another readiness event (a
   * TLS record buffered after {@code dst} filled up): read again before waiting.
   */
  abstract boolean hasBuffered();

  private static final class Plain extends Transport {
    private final SocketChannel channel;

    Plain(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    boolean secure() {
      return false;
    }

    @Override
    boolean handshake() {
      return true;
    }

    @Override
    boolean write(ByteBuffer src) throws IOException {
      channel.write(src);
      return !src.hasRemaining();
    }

    @Override
    int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    boolean wantsWrite() {
      return false;
    }

    @Override
    boolean hasBuffered() {
      return false;
    }
  }
}
