package dev.keepalive.cli;

/**
 * The work of a command failed (a benchmark produced no result, requests failed); the message is
 * the one line the user sees, and the exit code is 1.
 */
final class CommandFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  CommandFailedException(String message) {
    super(message);
  }
}
