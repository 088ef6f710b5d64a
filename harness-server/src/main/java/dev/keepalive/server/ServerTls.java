package dev.keepalive.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The harness server's TLS: its key and certificate (a user's keystore, or a self-signed
 * certificate made at start with BouncyCastle, since the JDK has no public API for making one), the
 * {@link SSLContext} every listener serves with, and what JSSE lets a server see of the handshakes.
 *
 * <p>What the server can and cannot tell: JSSE gives a server no "resumed" flag. But only a full
 * handshake makes the server choose (and sign with) its certificate, so the key manager counts full
 * handshakes exactly; a resumed one (TLS 1.2 session ID or TLS 1.3 PSK) never reaches it. The
 * number of TLS connections is the listeners' {@code connectionsAccepted}; resumed = connections −
 * full handshakes, as long as every connection sent a request (one that completed a full handshake
 * and then sent nothing still counts as full).
 *
 * <p>Also used, with a self-signed certificate, by servers outside this package that serve TLS on
 * blocking {@link javax.net.ssl.SSLSocket}s ({@link #selfSigned()}, {@link #fullHandshake}).
 *
 * <p>Thread-safety: immutable apart from the counter, which is atomic; JSSE calls the key manager
 * from any IO thread.
 */
public final class ServerTls {

  private static final long VALIDITY_MILLIS = 30L * 24 * 3600 * 1000;

  private final SSLContext context;
  private final X509Certificate certificate;
  private final AtomicLong fullHandshakes = new AtomicLong();

  /**
   * Engines and sockets already counted: JSSE may ask for a key more than once in one handshake.
   */
  private final java.util.Set<Object> counted =
      java.util.Collections.synchronizedSet(
          java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

  private ServerTls(PrivateKey key, X509Certificate[] chain) throws GeneralSecurityException {
    this.certificate = chain[0];
    this.context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new CountingKeyManager(key, chain)}, null, null);
  }

  /**
   * The TLS of a server with these options: the keystore's first key entry, or a new self-signed
   * certificate; written as PEM to {@code tlsCertOut} when asked.
   */
  static ServerTls of(ServerOptions options) {
    try {
      ServerTls tls =
          options.tlsKeystore() == null
              ? makeSelfSigned()
              : fromKeystore(options.tlsKeystore(), options.tlsPassword().toCharArray());
      if (options.tlsCertOut() != null) {
        Files.writeString(options.tlsCertOut(), tls.certificatePem(), StandardCharsets.US_ASCII);
      }
      return tls;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up TLS: " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** The TLS of a server with a new self-signed certificate for localhost, 127.0.0.1 and ::1. */
  public static ServerTls selfSigned() {
    try {
      return makeSelfSigned();
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static ServerTls makeSelfSigned()
      throws GeneralSecurityException, OperatorCreationException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=keepalive-bench harness server");
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(63, new SecureRandom()),
            new Date(now - 60_000),
            new Date(now + VALIDITY_MILLIS),
            name,
            pair.getPublic());
    try {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")
              }));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode a certificate extension", e);
    }
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    return new ServerTls(pair.getPrivate(), new X509Certificate[] {cert});
  }

  private static ServerTls fromKeystore(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        Certificate[] chain = store.getCertificateChain(alias);
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
          x509[i] = (X509Certificate) chain[i];
        }
        return new ServerTls((PrivateKey) store.getKey(alias, password), x509);
      }
    }
    throw new GeneralSecurityException("no private key entry in keystore " + file);
  }

  public SSLContext context() {
    return context;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate as PEM, for a client's {@code ca}. */
  public String certificatePem() {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PEM", e);
    }
    return out.toString();
  }

  /**
   * Whether the handshake of {@code socket} (a server-side {@link javax.net.ssl.SSLSocket} of this
   * context, after its handshake) was a full one: the server chose its certificate for it. False
   * means it resumed a session.
   */
  public boolean fullHandshake(Socket socket) {
    return counted.contains(socket);
  }

  /** Full handshakes since the last {@link #reset()}: the server chose its certificate. */
  long fullHandshakes() {
    return fullHandshakes.get();
  }

  void reset() {
    fullHandshakes.set(0);
  }

  /** Serves one key; counts each time JSSE picks it for a handshake (full handshakes only). */
  private final class CountingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "server";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    CountingKeyManager(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      if (!key.getAlgorithm().equals(keyType)) {
        return null; // JSSE asks once per key type it could use; only ours counts
      }
      if (counted.add(engine)) {
        fullHandshakes.incrementAndGet();
      }
      return ALIAS;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      if (!key.getAlgorithm().equals(keyType)) {
        return null;
      }
      if (counted.add(socket)) { // blocking SSLSockets (Undertow uses engines)
        fullHandshakes.incrementAndGet();
      }
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return key.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
