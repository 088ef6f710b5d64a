package dev.keepalive.agent;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One agent's TLS: an {@link SSLContext} built from its {@link TlsOptions}, whose client session
 * cache is the agent's (Node's per-agent {@code maxCachedSessions}), and the engines for new
 * connections. It also tells a full handshake from a resumed one: a resumed handshake carries no
 * certificate, so the trust manager is never asked — the one signal JSSE gives the client for TLS
 * 1.2 and 1.3 alike.
 *
 * <p>Thread-safety: built and used on the agent's event loop; the record of checked engines is
 * synchronized because JSSE may call the trust manager from whatever thread runs a delegated task.
 */
final class TlsContext {

  private final TlsOptions options;
  private final TrustManager[] trust;
  private final SSLContext context;
  private final Set<SSLEngine> certificateChecked =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  TlsContext(TlsOptions options) throws GeneralSecurityException {
    this.options = options;
    this.trust = new TrustManager[] {new RecordingTrustManager(delegate())};
    this.context = newContext();
    if (options.maxCachedSessions() > 0) {
      context.getClientSessionContext().setSessionCacheSize(options.maxCachedSessions());
    }
  }

  private SSLContext newContext() throws GeneralSecurityException {
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, trust, null);
    return c;
  }

  private X509ExtendedTrustManager delegate() throws GeneralSecurityException {
    if (!options.rejectUnauthorized()) {
      return null; // accept anything: --insecure
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (options.ca().isEmpty()) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      try {
        store.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException("cannot create an empty trust store", e);
      }
      List<X509Certificate> ca = options.ca();
      for (int i = 0; i < ca.size(); i++) {
        store.setCertificateEntry("ca-" + i, ca.get(i));
      }
      tmf.init(store);
    }
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509ExtendedTrustManager from " + tmf.getAlgorithm());
  }

  /**
   * A client engine for {@code host:port}: the versions asked for, SNI as Node sends it, the
   * certificate checked against {@code host} unless {@code rejectUnauthorized} is false.
   */
  SSLEngine newEngine(String host, int port) {
    SSLContext c = context;
    if (options.maxCachedSessions() == 0) {
      // no session survives into another connection: a context (and so a session cache) of its
      // own per connection, as Node's agent: false has an agent per request. (Invalidating the
      // session is not enough: a TLS 1.3 ticket arrives after the handshake, as a new session.)
      try {
        c = newContext();
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
      }
    }
    SSLEngine engine = c.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    int min = TlsOptions.VERSIONS.indexOf(options.minVersion());
    int max = TlsOptions.VERSIONS.indexOf(options.maxVersion());
    p.setProtocols(TlsOptions.VERSIONS.subList(min, max + 1).toArray(String[]::new));
    if (options.rejectUnauthorized()) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    String sni = options.servername() != null ? options.servername() : sniFor(host);
    if (sni != null) {
      p.setServerNames(List.of(new SNIHostName(sni)));
    } else {
      p.setServerNames(List.of());
    }
    engine.setSSLParameters(p);
    return engine;
  }

  /** Node's default SNI: the host when it is a name, none for an IP literal. */
  private static String sniFor(String host) {
    boolean ip = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    return ip ? null : host;
  }

  /** After a handshake: whether it was resumed (no certificate was checked). Forgets the engine. */
  boolean handshakeDone(SSLEngine engine) {
    return !certificateChecked.remove(engine);
  }

  /** Forgets an engine whose handshake never finished. */
  void forget(SSLEngine engine) {
    certificateChecked.remove(engine);
  }

  /** Records which engines had a certificate to check; checks it through the real manager. */
  private final class RecordingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;

    RecordingTrustManager(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      certificateChecked.add(engine);
      if (delegate != null) {
        delegate.checkServerTrusted(chain, authType, engine);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      if (delegate != null) {
        delegate.checkServerTrusted(chain, authType, socket);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (delegate != null) {
        delegate.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("this is a client: it checks no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("this is a client: it checks no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("this is a client: it checks no client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
  }
}
