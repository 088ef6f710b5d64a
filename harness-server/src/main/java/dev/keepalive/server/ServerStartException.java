package dev.keepalive.server;

/** The server could not start: a port could not be bound, or Undertow failed to start. */
public final class ServerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
