package dev.keepalive.net;

/** The relay could not start: a port could not be bound. */
public final class RelayStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RelayStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
