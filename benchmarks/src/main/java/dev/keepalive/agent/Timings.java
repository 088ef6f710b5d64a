package dev.keepalive.agent;

/**
 * When each phase of a request was reached, with the names of the {@code request} library's {@code
 * timings}: nanoseconds from the request's start ({@code socketNanos}, ...), or as fractional
 * milliseconds ({@link #socket()}, ...). On a socket that was already connected when the request
 * got it (a pool hit or a queue hand-off) {@code lookup == socket}, {@code connect == lookup} and
 * {@code secureConnect == connect}.
 *
 * @param socketNanos a socket was assigned (after any wait in the agent's queue)
 * @param lookupNanos the host name was resolved
 * @param connectNanos the TCP connection was established
 * @param secureConnectNanos the TLS handshake was done ({@code https} only; equal to {@code
 *     connectNanos} for {@code http})
 * @param responseNanos the first byte of the response arrived
 * @param endNanos the last byte of the response arrived
 * @param newConnection whether the request waited for its socket's TCP connect (a socket opened for
 *     it, or one still connecting when it was handed over); false on a pool hit or a hand-off of a
 *     connected socket
 */
public record Timings(
    long socketNanos,
    long lookupNanos,
    long connectNanos,
    long secureConnectNanos,
    long responseNanos,
    long endNanos,
    boolean newConnection) {

  /** A socket was assigned, ms from the start. */
  public double socket() {
    return socketNanos / 1e6;
  }

  /** The host name was resolved, ms from the start. */
  public double lookup() {
    return lookupNanos / 1e6;
  }

  /** The TCP connection was established, ms from the start. */
  public double connect() {
    return connectNanos / 1e6;
  }

  /** The TLS handshake was done, ms from the start ({@code == connect()} without TLS). */
  public double secureConnect() {
    return secureConnectNanos / 1e6;
  }

  /** The first byte of the response arrived, ms from the start. */
  public double response() {
    return responseNanos / 1e6;
  }

  /** The last byte of the response arrived, ms from the start. */
  public double end() {
    return endNanos / 1e6;
  }

  /** The time spent connecting (0 when the socket was connected already), ns. */
  public long connectingNanos() {
    return newConnection ? connectNanos - lookupNanos : 0;
  }

  /** The time spent in the TLS handshake (0 without TLS or on a connected socket), ns. */
  public long handshakeNanos() {
    return newConnection ? secureConnectNanos - connectNanos : 0;
  }
}
