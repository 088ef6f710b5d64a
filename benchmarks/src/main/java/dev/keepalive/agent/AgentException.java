package dev.keepalive.agent;

import java.io.IOException;

/**
 * A request failed; {@link #errorClass()} says how. One subclass per error class, so callers can
 * catch the one they handle.
 */
public abstract class AgentException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ErrorClass errorClass;
  private final boolean reusedSocket;
  private int localPort;

  AgentException(ErrorClass errorClass, String message, boolean reusedSocket, Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
    this.reusedSocket = reusedSocket;
  }

  /** The local port of the connection the request was on, or 0 if it never had a connected one. */
  public int localPort() {
    return localPort;
  }

  AgentException withLocalPort(int port) {
    this.localPort = port;
    return this;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  /**
   * Whether the failed request had been given a socket from the free pool (Node's {@code
   * reusedSocket}).
   */
  public boolean reusedSocket() {
    return reusedSocket;
  }

  static AgentException of(ErrorClass c, String message, boolean reused, Throwable cause) {
    return switch (c) {
      case MALFORMED -> new Malformed(message, reused, cause);
      case TOO_LARGE -> new TooLarge(message, reused, cause);
      case TIMEOUT -> new Timeout(message, reused, cause);
      case CLOSED_EARLY -> new ClosedEarly(message, reused, cause);
      case RESET -> new Reset(message, reused, cause);
      case REFUSED -> new Refused(message, reused, cause);
      case PORTS_EXHAUSTED -> new PortsExhausted(message, reused, cause);
      case TLS -> new Tls(message, reused, cause);
      case CONFIG -> new Config(message, reused, cause);
    };
  }

  /** {@link ErrorClass#MALFORMED}. */
  public static final class Malformed extends AgentException {
    private static final long serialVersionUID = 1L;

    Malformed(String message, boolean reused, Throwable cause) {
      super(ErrorClass.MALFORMED, message, reused, cause);
    }
  }

  /** {@link ErrorClass#TOO_LARGE}. */
  public static final class TooLarge extends AgentException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message, boolean reused, Throwable cause) {
      super(ErrorClass.TOO_LARGE, message, reused, cause);
    }
  }

  /** {@link ErrorClass#TIMEOUT}. */
  public static final class Timeout extends AgentException {
    private static final long serialVersionUID = 1L;

    Timeout(String message, boolean reused, Throwable cause) {
      super(ErrorClass.TIMEOUT, message, reused, cause);
    }
  }

  /** {@link ErrorClass#CLOSED_EARLY}: Node's "socket hang up". */
  public static final class ClosedEarly extends AgentException {
    private static final long serialVersionUID = 1L;

    ClosedEarly(String message, boolean reused, Throwable cause) {
      super(ErrorClass.CLOSED_EARLY, message, reused, cause);
    }
  }

  /** {@link ErrorClass#RESET}. */
  public static final class Reset extends AgentException {
    private static final long serialVersionUID = 1L;

    Reset(String message, boolean reused, Throwable cause) {
      super(ErrorClass.RESET, message, reused, cause);
    }
  }

  /** {@link ErrorClass#REFUSED}. */
  public static final class Refused extends AgentException {
    private static final long serialVersionUID = 1L;

    Refused(String message, boolean reused, Throwable cause) {
      super(ErrorClass.REFUSED, message, reused, cause);
    }
  }

  /** {@link ErrorClass#PORTS_EXHAUSTED}. */
  public static final class PortsExhausted extends AgentException {
    private static final long serialVersionUID = 1L;

    PortsExhausted(String message, boolean reused, Throwable cause) {
      super(ErrorClass.PORTS_EXHAUSTED, message, reused, cause);
    }
  }

  /** {@link ErrorClass#TLS}. */
  public static final class Tls extends AgentException {
    private static final long serialVersionUID = 1L;

    Tls(String message, boolean reused, Throwable cause) {
      super(ErrorClass.TLS, message, reused, cause);
    }
  }

  /** {@link ErrorClass#CONFIG}. */
  public static final class Config extends AgentException {
    private static final long serialVersionUID = 1L;

    Config(String message, boolean reused, Throwable cause) {
      super(ErrorClass.CONFIG, message, reused, cause);
    }
  }
}
