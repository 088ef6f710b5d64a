package dev.keepalive.agent;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * Which {@link ErrorClass} an I/O failure of a socket is: the JDK reports ECONNRESET, EPIPE,
 * ECONNREFUSED or EADDRNOTAVAIL as exception types and messages, not codes.
 *
 * <p>Thread-safety: stateless.
 */
final class IoFailures {

  private IoFailures() {}

  /** The error class of an I/O failure on an established connection. */
  static ErrorClass classifyIo(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("reset")) {
      return ErrorClass.RESET;
    }
    return ErrorClass.CLOSED_EARLY; // broken pipe, connection aborted, ...
  }

  /** The error class of a failure to connect. */
  static ErrorClass classifyConnect(Throwable e) {
    if (e instanceof IllegalArgumentException && !(e instanceof UnresolvedAddressException)) {
      return ErrorClass.CONFIG; // a value the JDK or the OS refuses: a port, a socket option
    }
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof BindException || m.contains("cannot assign requested address")) {
      return ErrorClass.PORTS_EXHAUSTED;
    }
    if (e instanceof ConnectException
        || e instanceof NoRouteToHostException
        || e instanceof UnresolvedAddressException
        || m.contains("refused")
        || m.contains("unreachable")) {
      return ErrorClass.REFUSED;
    }
    if (m.contains("too many open files")) {
      return ErrorClass.PORTS_EXHAUSTED;
    }
    return ErrorClass.REFUSED;
  }

  /** The error class of a failed TLS handshake (after the TCP connection was made). */
  static ErrorClass classifyHandshake(Throwable e) {
    if (e instanceof javax.net.ssl.SSLException || e instanceof java.io.EOFException) {
      return ErrorClass.TLS;
    }
    if (e instanceof IllegalArgumentException) {
      return ErrorClass.CONFIG;
    }
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return m.contains("reset") ? ErrorClass.RESET : ErrorClass.TLS;
  }

  /** Node's words for an I/O failure on an established connection. */
  static String describeIo(IOException e) {
    return classifyIo(e) == ErrorClass.RESET
        ? "read ECONNRESET: " + e.getMessage()
        : "socket hang up: " + e.getMessage();
  }
}
