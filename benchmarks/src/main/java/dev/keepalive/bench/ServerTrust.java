package dev.keepalive.bench;

import dev.keepalive.agent.AgentOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What every client of a trial trusts: the harness server's own certificate over {@code https}
 * (self-signed, made at its start, with IP SANs for 127.0.0.1 and ::1), or the platform's roots
 * when there is none to add (plain {@code http}, or an external target). Hostname verification
 * stays on for every client: the certificate names 127.0.0.1, the host the URIs use.
 *
 * <p>Thread-safety: immutable; the {@link SSLContext} it makes is shared by a peer's threads as the
 * JDK allows.
 *
 * @param ca the certificates to trust instead of the platform's roots; empty = the platform's
 */
record ServerTrust(List<X509Certificate> ca) {

  /** Nothing to add: the platform's roots. */
  static final ServerTrust PLATFORM = new ServerTrust(List.of());

  ServerTrust {
    ca = List.copyOf(ca);
  }

  /** Our agent's options with {@code ca} set to these certificates (Node's {@code ca}). */
  AgentOptions agentOptions(AgentOptions o) {
    if (ca.isEmpty()) {
      return o;
    }
    return o.toBuilder().tls(o.tls().toBuilder().ca(ca).build()).build();
  }

  /** A trust manager over these certificates only (the platform's default when there are none). */
  X509TrustManager trustManager() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (ca.isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < ca.size(); i++) {
          store.setCertificateEntry("ca-" + i, ca.get(i));
        }
        tmf.init(store);
      }
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509TrustManager from " + tmf.getAlgorithm());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot trust the server's certificate: " + e, e);
    }
  }

  /** A TLS context that trusts {@link #trustManager()}: for the peers and control requests. */
  SSLContext sslContext() {
    return sslContext(trustManager());
  }

  /** A TLS context over a trust manager of this trust (OkHttp wants both, the same one). */
  static SSLContext sslContext(X509TrustManager trustManager) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {trustManager}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e, e);
    }
  }
}
