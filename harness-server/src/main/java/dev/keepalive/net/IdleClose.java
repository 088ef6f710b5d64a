package dev.keepalive.net;

import java.util.Locale;

/**
 * What a middlebox does to a flow that carried no byte in either direction for its idle timeout.
 */
public enum IdleClose {
  /**
   * Closes both sides with a FIN: the client's pool sees an ordinary close and drops the socket.
   */
  FIN,
  /** Resets both sides (RST): the client sees {@code ECONNRESET} on its idle socket. */
  RST,
  /**
   * Forgets the flow and tells no one, as a NAT gateway or a load balancer that drops idle state
   * does: both sockets stay open, nothing more is relayed, and the client's next bytes are answered
   * with a reset one round trip later. A pooled socket then fails on reuse, with {@code reset}.
   */
  SILENT;

  /** The lower-case name used by flags and JSON: {@code fin}, {@code rst}, {@code silent}. */
  public String flagName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static IdleClose of(String name) {
    for (IdleClose c : values()) {
      if (c.flagName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("idleClose must be fin, rst or silent, was '" + name + "'");
  }
}
