package dev.keepalive.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * What the server sees of a connection's TLS, for the {@code /tls} route: the version, the cipher
 * suite and the SNI name the client sent.
 *
 * <p>Thread-safety: stateless.
 */
final class TlsInfo {

  private TlsInfo() {}

  static String describe(HttpServerExchange exchange) {
    SSLSessionInfo info = exchange.getConnection().getSslSessionInfo();
    SSLSession session = info == null ? null : info.getSSLSession();
    if (session == null) {
      return "protocol: none\n";
    }
    String sni = "none";
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          sni = host.getAsciiName();
        }
      }
    }
    return "protocol: "
        + session.getProtocol()
        + "\ncipher: "
        + session.getCipherSuite()
        + "\nsni: "
        + sni
        + "\n";
  }
}
