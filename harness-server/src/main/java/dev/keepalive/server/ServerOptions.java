package dev.keepalive.server;

/**
 * Immutable configuration of a {@link HarnessServer}, and its one builder: {@link Builder#build()}
 * validates every option and names the offending one in its message, {@link Builder#start()} also
 * starts the server. The standalone command line maps its flags onto the same builder.
 *
 * <p>Thread-safety: immutable (see the package); the {@link Builder} belongs to the thread that
 * fills it.
 */
public final class ServerOptions {

  /** Default idle timeout, as Node's {@code server.keepAliveTimeout}: 5000 ms. */
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 5000;

  /** Default request-read timeout: 10 000 ms. */
  public static final long DEFAULT_REQUEST_READ_TIMEOUT_MILLIS = 10_000;

  private final String host;
  private final int port;
  private final int listeners;
  private final int ioThreads;
  private final int workerThreads;
  private final long idleTimeoutMillis;
  private final long requestReadTimeoutMillis;
  private final int maxRequestsPerConnection;
  private final int keepAliveHintSeconds;
  private final boolean tls;
  private final java.nio.file.Path tlsKeystore;
  private final String tlsPassword;
  private final java.nio.file.Path tlsCertOut;

  private ServerOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.listeners = b.listeners;
    this.ioThreads = b.ioThreads;
    this.workerThreads = b.workerThreads;
    this.idleTimeoutMillis = b.idleTimeoutMillis;
    this.requestReadTimeoutMillis = b.requestReadTimeoutMillis;
    this.maxRequestsPerConnection = b.maxRequestsPerConnection;
    this.keepAliveHintSeconds = b.keepAliveHintSeconds;
    this.tls = b.tls;
    this.tlsKeystore = b.tlsKeystore;
    this.tlsPassword = b.tlsPassword;
    this.tlsCertOut = b.tlsCertOut;
  }

  /**
   * Serve HTTPS (HTTP/1.1 over TLS 1.2/1.3, no ALPN) on every listener. Default false. The
   * certificate is {@link #tlsKeystore()}'s, or a self-signed one made at start for {@code
   * 127.0.0.1}, {@code ::1} and {@code localhost} (EC P-256, valid 30 days).
   */
  public boolean tls() {
    return tls;
  }

  /** A PKCS#12 (or JKS) keystore holding the server's key and certificate, or null (default). */
  public java.nio.file.Path tlsKeystore() {
    return tlsKeystore;
  }

  /** The keystore's password (also the key's), or null. */
  public String tlsPassword() {
    return tlsPassword;
  }

  /** Where to write the server's certificate as PEM at start, for clients to trust; or null. */
  public java.nio.file.Path tlsCertOut() {
    return tlsCertOut;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Address to bind; default {@code 127.0.0.1}. */
  public String host() {
    return host;
  }

  /** Port of the first listener (listener i binds port + i); 0 = ephemeral ports. */
  public int port() {
    return port;
  }

  /** Number of listeners, each on its own port: n listeners = n origins for a client. Default 1. */
  public int listeners() {
    return listeners;
  }

  /** Undertow IO threads; default 1 (loopback targets need no more on a small machine). */
  public int ioThreads() {
    return ioThreads;
  }

  /** Undertow worker threads (only echo uses them); default 4. */
  public int workerThreads() {
    return workerThreads;
  }

  /**
   * A connection with no request in progress for this long is closed by the server: a kept-alive
   * connection after its last response, and a new connection that has sent nothing. Default 5000 ms
   * like Node's server; 0 = never.
   *
   * <p>A connection is idle only while no byte of a request is waiting: when the timer fires the
   * server first reads what the client may have sent while its IO thread was busy, and a request
   * that has started arriving is never closed as idle (it is under {@link
   * #requestReadTimeoutMillis()} instead).
   */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /**
   * How long the server waits for a request that has started to arrive. Default 10 000 ms; 0 =
   * forever.
   *
   * <p>The whole request head must arrive within this time of its first byte, and a request body
   * must keep arriving: a pause between two of its bytes longer than this ends it. (So a slow but
   * steady upload is never cut, and a client that stops half way, or trickles a head, is.) A
   * request that runs out of time is answered {@code 408 Request Timeout} when no response has
   * started, and its connection is closed; {@code requestReadTimeouts} in the stats counts it.
   */
  public long requestReadTimeoutMillis() {
    return requestReadTimeoutMillis;
  }

  /**
   * The Nth response on a connection carries {@code Connection: close} and the connection is then
   * closed; 0 = unlimited (default).
   */
  public int maxRequestsPerConnection() {
    return maxRequestsPerConnection;
  }

  /** When &gt; 0, persistent responses carry {@code Keep-Alive: timeout=N}; 0 = off (default). */
  public int keepAliveHintSeconds() {
    return keepAliveHintSeconds;
  }

  @Override
  public String toString() {
    return "host="
        + host
        + " port="
        + port
        + " listeners="
        + listeners
        + " ioThreads="
        + ioThreads
        + " workerThreads="
        + workerThreads
        + " idleTimeoutMillis="
        + idleTimeoutMillis
        + " requestReadTimeoutMillis="
        + requestReadTimeoutMillis
        + " maxRequestsPerConnection="
        + maxRequestsPerConnection
        + " keepAliveHintSeconds="
        + keepAliveHintSeconds
        + (tls ? " tls=" + (tlsKeystore == null ? "self-signed" : tlsKeystore) : "");
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int listeners = 1;
    private int ioThreads = 1;
    private int workerThreads = 4;
    private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
    private long requestReadTimeoutMillis = DEFAULT_REQUEST_READ_TIMEOUT_MILLIS;
    private int maxRequestsPerConnection = 0;
    private int keepAliveHintSeconds = 0;
    private boolean tls;
    private java.nio.file.Path tlsKeystore;
    private String tlsPassword;
    private java.nio.file.Path tlsCertOut;

    private Builder() {}

    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    public Builder tlsKeystore(java.nio.file.Path tlsKeystore) {
      this.tlsKeystore = tlsKeystore;
      return this;
    }

    public Builder tlsPassword(String tlsPassword) {
      this.tlsPassword = tlsPassword;
      return this;
    }

    public Builder tlsCertOut(java.nio.file.Path tlsCertOut) {
      this.tlsCertOut = tlsCertOut;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder listeners(int listeners) {
      this.listeners = listeners;
      return this;
    }

    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    public Builder workerThreads(int workerThreads) {
      this.workerThreads = workerThreads;
      return this;
    }

    public Builder idleTimeoutMillis(long idleTimeoutMillis) {
      this.idleTimeoutMillis = idleTimeoutMillis;
      return this;
    }

    public Builder requestReadTimeoutMillis(long requestReadTimeoutMillis) {
      this.requestReadTimeoutMillis = requestReadTimeoutMillis;
      return this;
    }

    public Builder maxRequestsPerConnection(int maxRequestsPerConnection) {
      this.maxRequestsPerConnection = maxRequestsPerConnection;
      return this;
    }

    public Builder keepAliveHintSeconds(int keepAliveHintSeconds) {
      this.keepAliveHintSeconds = keepAliveHintSeconds;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option, its value and the allowed range
     */
    public ServerOptions build() {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must be an address or name, was '" + host + "'");
      }
      check("listeners", listeners, 1, 64);
      check("port", port, 0, 65535 - (listeners - 1));
      check("ioThreads", ioThreads, 1, 256);
      check("workerThreads", workerThreads, 1, 1024);
      check("idleTimeoutMillis", idleTimeoutMillis, 0, Integer.MAX_VALUE);
      check("requestReadTimeoutMillis", requestReadTimeoutMillis, 0, Integer.MAX_VALUE);
      check("maxRequestsPerConnection", maxRequestsPerConnection, 0, Integer.MAX_VALUE);
      check("keepAliveHintSeconds", keepAliveHintSeconds, 0, 86_400);
      if (!tls) {
        String needsTls =
            tlsKeystore != null
                ? "tlsKeystore"
                : tlsPassword != null ? "tlsPassword" : tlsCertOut != null ? "tlsCertOut" : null;
        if (needsTls != null) {
          throw new IllegalArgumentException(needsTls + " needs tls, which is off");
        }
      }
      if (tlsKeystore != null && !java.nio.file.Files.isReadable(tlsKeystore)) {
        throw new IllegalArgumentException(
            "tlsKeystore must be a readable keystore file, was '" + tlsKeystore + "'");
      }
      if ((tlsKeystore == null) != (tlsPassword == null)) {
        throw new IllegalArgumentException(
            tlsKeystore == null
                ? "tlsPassword needs tlsKeystore, which is not set"
                : "tlsKeystore needs tlsPassword, which is not set");
      }
      return new ServerOptions(this);
    }

    /**
     * Builds the options and starts a server with them: {@code HarnessServer.start(build())}.
     *
     * @throws IllegalArgumentException as {@link #build()}
     * @throws ServerStartException if a port cannot be bound
     */
    public HarnessServer start() {
      return HarnessServer.start(build());
    }

    private static void check(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be in [" + min + ", " + max + "], was " + value);
      }
    }
  }
}
