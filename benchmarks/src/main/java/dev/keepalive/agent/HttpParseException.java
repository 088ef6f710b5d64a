package dev.keepalive.agent;

import java.io.IOException;

/**
 * The response broke the HTTP/1.1 framing rules ({@link ErrorClass#MALFORMED}) or a limit ({@link
 * ErrorClass#TOO_LARGE}). The only exception {@link ResponseParser} throws.
 */
public final class HttpParseException extends IOException {
  private static final long serialVersionUID = 1L;
  private final ErrorClass errorClass;

  HttpParseException(ErrorClass errorClass, String message) {
    super(message);
    this.errorClass = errorClass;
  }

  static HttpParseException malformed(String message) {
    return new HttpParseException(ErrorClass.MALFORMED, message);
  }

  static HttpParseException tooLarge(String message) {
    return new HttpParseException(ErrorClass.TOO_LARGE, message);
  }

  public ErrorClass errorClass() {
    return errorClass;
  }
}
