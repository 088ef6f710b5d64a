package dev.keepalive.agent;

import java.io.IOException;

/**
 * What an {@link HttpConnection} reports about itself: called on the agent's loop, never from
 * inside a pool decision. {@link Connections} is the one listener: it decides what the pool does
 * next.
 */
interface ConnectionListener {
  /** The TCP connection is established (before the waiting request is written). */
  void onConnected(HttpConnection c);

  void onConnectFailed(HttpConnection c, Throwable e);

  /** The TLS handshake is done ({@code resumed}: an abbreviated one, from a cached session). */
  void onSecureConnect(HttpConnection c, boolean resumed);

  /** The TLS handshake failed: the connection never carried its request. */
  void onHandshakeFailed(HttpConnection c, Throwable e);

  /** The exchange's request is written and its response complete; the connection is idle. */
  void onExchangeDone(HttpConnection c, Exchange ex, boolean keepAlive);

  /**
   * The exchange in progress failed on this connection; the connection is unusable.
   *
   * @param socketError whether the socket itself failed (counted as {@code errorSocketCount})
   */
  void onFailed(
      HttpConnection c, ErrorClass cls, String message, Throwable cause, boolean socketError);

  /** An I/O failure on an established connection: classified, counted as a socket error. */
  default void onIoFailed(HttpConnection c, IOException e) {
    onFailed(c, IoFailures.classifyIo(e), IoFailures.describeIo(e), e, true);
  }

  /** The peer closed the connection with no exchange in progress: remove it quietly. */
  void onPeerClosed(HttpConnection c);

  /** Bytes arrived that belong to no request; {@code idle}: no exchange holds the connection. */
  void onUnsolicitedBytes(HttpConnection c, boolean idle);

  /** A released connection's turn came ({@link HttpConnection#release}): pool it or close it. */
  void onReleased(HttpConnection c, boolean keepAlive);

  /**
   * The idle timer set by {@link HttpConnection#armIdleTimer} fired while the connection was still
   * idle.
   */
  void onIdleTimeout(HttpConnection c);

  void onCloseFailed(HttpConnection c, IOException e);
}
