package dev.keepalive.agent;

/**
 * How a request failed. Every issued request ends as a response or as exactly one of these; the
 * names are a published schema (JSON, tables).
 */
public enum ErrorClass {
  /** The response broke HTTP/1.1 framing rules (RFC 9112). */
  MALFORMED("malformed"),
  /** The response head (or a chunk-size or trailer line) exceeded {@code maxHeaderBytes}. */
  TOO_LARGE("too_large"),
  /** The request's deadline passed (queued, connecting, writing, or waiting for the response). */
  TIMEOUT("timeout"),
  /** The connection ended before the response did: Node's "socket hang up". */
  CLOSED_EARLY("closed_early"),
  /** The peer reset the connection (TCP RST). */
  RESET("reset"),
  /** The connection could not be made: refused, unreachable, or the host did not resolve. */
  REFUSED("refused"),
  /**
   * The TLS handshake failed: an untrusted or mismatched certificate, no common version or cipher,
   * an alert from the server, or bytes that are not TLS.
   */
  TLS("tls"),
  /** No local port was free for a new connection (EADDRNOTAVAIL), usually TIME_WAIT build-up. */
  PORTS_EXHAUSTED("ports_exhausted"),
  /** The request or the agent's configuration cannot be used (bad URI, agent closed). */
  CONFIG("config");

  private final String wireName;

  ErrorClass(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in JSON and tables, e.g. {@code closed_early}. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
