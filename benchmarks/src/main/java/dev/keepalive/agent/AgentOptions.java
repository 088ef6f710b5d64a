package dev.keepalive.agent;

/**
 * Immutable configuration of an {@link Agent}, with the names, defaults and pooling rules of Node's
 * {@code http.Agent} (v20). Built by {@link #builder()}; {@link Builder#build()} validates every
 * option and names the offending one, e.g. {@code maxTotalSockets must be >= 1, was 0}. The command
 * line maps its flags onto the same builder.
 */
public final class AgentOptions {

  /** "No bound": Node's {@code Infinity} for {@code maxSockets} and {@code maxTotalSockets}. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  /** The largest {@code keepAliveMsecs}: Linux takes {@code TCP_KEEPIDLE} up to 32767 s. */
  public static final int MAX_KEEP_ALIVE_MSECS = 32_767_999;

  private final boolean keepAlive;
  private final int keepAliveMsecs;
  private final int maxSockets;
  private final int maxFreeSockets;
  private final int maxTotalSockets;
  private final Scheduling scheduling;
  private final long timeoutMillis;
  private final int maxHeaderBytes;
  private final boolean retryOnStaleSocket;
  private final TlsOptions tls;

  private AgentOptions(Builder b) {
    this.keepAlive = b.keepAlive;
    this.keepAliveMsecs = b.keepAliveMsecs;
    this.maxSockets = b.maxSockets;
    this.maxFreeSockets = b.maxFreeSockets;
    this.maxTotalSockets = b.maxTotalSockets;
    this.scheduling = b.scheduling;
    this.timeoutMillis = b.timeoutMillis;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.retryOnStaleSocket = b.retryOnStaleSocket;
    this.tls = b.tls;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Node's defaults: keepAlive false, unbounded, {@code Connection: close} on every request. */
  public static AgentOptions defaults() {
    return builder().build();
  }

  /** A builder holding this configuration, to derive a variant. */
  public Builder toBuilder() {
    return new Builder()
        .keepAlive(keepAlive)
        .keepAliveMsecs(keepAliveMsecs)
        .maxSockets(maxSockets)
        .maxFreeSockets(maxFreeSockets)
        .maxTotalSockets(maxTotalSockets)
        .scheduling(scheduling)
        .timeoutMillis(timeoutMillis)
        .maxHeaderBytes(maxHeaderBytes)
        .retryOnStaleSocket(retryOnStaleSocket)
        .tls(tls);
  }

  /**
   * Keep free sockets in the pool for later requests. Default false. With false, a freed socket
   * still serves its origin's queued requests (when {@code maxSockets} is bounded) but is then
   * closed.
   */
  public boolean keepAlive() {
    return keepAlive;
  }

  /**
   * TCP keep-alive idle time, ms, set on keep-alive sockets (where the OS supports it). Default
   * 1000.
   */
  public int keepAliveMsecs() {
    return keepAliveMsecs;
  }

  /** Sockets per origin, in use plus free. Default {@link #UNBOUNDED}. */
  public int maxSockets() {
    return maxSockets;
  }

  /** Free sockets kept per origin when {@code keepAlive}; more are closed. Default 256. */
  public int maxFreeSockets() {
    return maxFreeSockets;
  }

  /**
   * Open sockets across all origins. Default {@link #UNBOUNDED}.
   *
   * <p><b>WARNING</b>, as in Node: free (idle) sockets count toward this bound. With two idle
   * sockets to origin A and {@code maxTotalSockets} 2, a request to origin B waits until an A
   * socket <i>closes</i> (server idle timeout, agent {@code timeout}, error) — with no close it
   * waits forever, or until its deadline. And the bound can be overshot by one transiently: when a
   * socket is pooled while another origin has requests queued, a socket is opened for that origin
   * without a limit check; it is closed, not pooled, when it frees.
   */
  public int maxTotalSockets() {
    return maxTotalSockets;
  }

  /** Which free socket a request takes. Default {@link Scheduling#LIFO}. */
  public Scheduling scheduling() {
    return scheduling;
  }

  /**
   * The agent's socket timeout, ms; 0 (default) = none. A free socket idle this long is closed. A
   * server's {@code Keep-Alive: timeout=N} hint shortens it to {@code N*1000 - 1000} ms (never
   * lengthens it); a hint of N ≤ 1 means the socket is not pooled at all.
   */
  public long timeoutMillis() {
    return timeoutMillis;
  }

  /** Largest response head (status line and headers), bytes. Default 16384, as Node's. */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /**
   * Safe retry, off by default to stay Node-faithful (Node never retries). When on, a request that
   * fails with {@code closed_early} or {@code reset} <i>before any response byte</i> on a socket
   * taken from the free pool (the stale keep-alive race: the server closed the idle connection as
   * the request went out) is sent once more on a fresh connection — only when the request is
   * idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, or marked so). Never after a response
   * started. Counted as {@code retryCount}.
   */
  public boolean retryOnStaleSocket() {
    return retryOnStaleSocket;
  }

  /**
   * How {@code https:} requests are secured (Node's {@code https.Agent} options). Default {@link
   * TlsOptions#defaults()}.
   */
  public TlsOptions tls() {
    return tls;
  }

  /**
   * Node's rule: requests say {@code Connection: close} iff not keepAlive and maxSockets unbounded.
   */
  boolean sendsConnectionClose() {
    return !keepAlive && maxSockets == UNBOUNDED;
  }

  @Override
  public String toString() {
    return "keepAlive="
        + keepAlive
        + " keepAliveMsecs="
        + keepAliveMsecs
        + " maxSockets="
        + bound(maxSockets)
        + " maxFreeSockets="
        + maxFreeSockets
        + " maxTotalSockets="
        + bound(maxTotalSockets)
        + " scheduling="
        + scheduling.nodeName()
        + " timeoutMillis="
        + timeoutMillis
        + " maxHeaderBytes="
        + maxHeaderBytes
        + (retryOnStaleSocket ? " retryOnStaleSocket=true" : "")
        + (tls.equals(TlsOptions.defaults()) ? "" : " tls=[" + tls + "]");
  }

  private static String bound(int n) {
    return n == UNBOUNDED ? "Infinity" : String.valueOf(n);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private boolean keepAlive = false;
    private int keepAliveMsecs = 1000;
    private int maxSockets = UNBOUNDED;
    private int maxFreeSockets = 256;
    private int maxTotalSockets = UNBOUNDED;
    private Scheduling scheduling = Scheduling.LIFO;
    private long timeoutMillis = 0;
    private int maxHeaderBytes = 16 * 1024;
    private TlsOptions tls = TlsOptions.defaults();
    private boolean retryOnStaleSocket = false;

    private Builder() {}

    public Builder retryOnStaleSocket(boolean retryOnStaleSocket) {
      this.retryOnStaleSocket = retryOnStaleSocket;
      return this;
    }

    public Builder keepAlive(boolean keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    public Builder keepAliveMsecs(int keepAliveMsecs) {
      this.keepAliveMsecs = keepAliveMsecs;
      return this;
    }

    public Builder maxSockets(int maxSockets) {
      this.maxSockets = maxSockets;
      return this;
    }

    public Builder maxFreeSockets(int maxFreeSockets) {
      this.maxFreeSockets = maxFreeSockets;
      return this;
    }

    public Builder maxTotalSockets(int maxTotalSockets) {
      this.maxTotalSockets = maxTotalSockets;
      return this;
    }

    public Builder scheduling(Scheduling scheduling) {
      this.scheduling = scheduling;
      return this;
    }

    public Builder timeoutMillis(long timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
      return this;
    }

    /** The TLS options for {@code https:} URLs; see {@link TlsOptions}. */
    public Builder tls(TlsOptions tls) {
      this.tls = tls;
      return this;
    }

    public Builder maxHeaderBytes(int maxHeaderBytes) {
      this.maxHeaderBytes = maxHeaderBytes;
      return this;
    }

    /**
     * Node coerces {@code maxSockets: 0} to Infinity and {@code maxFreeSockets: 0} to 256; here
     * those are rejected rather than silently changed: pass {@link #UNBOUNDED} to mean unbounded.
     *
     * @throws IllegalArgumentException naming the option, the allowed range and the value
     */
    public AgentOptions build() {
      atLeast("keepAliveMsecs", keepAliveMsecs, 1);
      if (keepAliveMsecs > MAX_KEEP_ALIVE_MSECS) {
        throw new IllegalArgumentException(
            "keepAliveMsecs must be <= "
                + MAX_KEEP_ALIVE_MSECS
                + " (the OS takes TCP_KEEPIDLE in whole seconds up to 32767), was "
                + keepAliveMsecs);
      }
      atLeast("maxSockets", maxSockets, 1);
      atLeast("maxFreeSockets", maxFreeSockets, 1);
      atLeast("maxTotalSockets", maxTotalSockets, 1);
      if (scheduling == null) {
        throw new IllegalArgumentException("scheduling must be one of: 'fifo', 'lifo', was null");
      }
      if (timeoutMillis < 0) {
        throw new IllegalArgumentException(
            "timeoutMillis must be >= 0 (0 = none), was " + timeoutMillis);
      }
      if (maxHeaderBytes < 1024 || maxHeaderBytes > (16 << 20)) {
        throw new IllegalArgumentException(
            "maxHeaderBytes must be in [1024, 16777216], was " + maxHeaderBytes);
      }
      if (tls == null) {
        throw new IllegalArgumentException(
            "tls must be TlsOptions (TlsOptions.defaults()), was null");
      }
      return new AgentOptions(this);
    }

    private static void atLeast(String name, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
      }
    }
  }
}
