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

  private final String host;
  private final int port;
  private final int listeners;
  private final int ioThreads;
  private final int workerThreads;
  private final long idleTimeoutMillis;
  private final int maxRequestsPerConnection;
  private final int keepAliveHintSeconds;

  private ServerOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.listeners = b.listeners;
    this.ioThreads = b.ioThreads;
    this.workerThreads = b.workerThreads;
    this.idleTimeoutMillis = b.idleTimeoutMillis;
    this.maxRequestsPerConnection = b.maxRequestsPerConnection;
    this.keepAliveHintSeconds = b.keepAliveHintSeconds;
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
   * A kept-alive connection with no new request for this long is closed by the server. Default 5000
   * ms like Node's server; 0 = never.
   */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
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
        + " maxRequestsPerConnection="
        + maxRequestsPerConnection
        + " keepAliveHintSeconds="
        + keepAliveHintSeconds;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int listeners = 1;
    private int ioThreads = 1;
    private int workerThreads = 4;
    private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
    private int maxRequestsPerConnection = 0;
    private int keepAliveHintSeconds = 0;

    private Builder() {}

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
      check("maxRequestsPerConnection", maxRequestsPerConnection, 0, Integer.MAX_VALUE);
      check("keepAliveHintSeconds", keepAliveHintSeconds, 0, 86_400);
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
