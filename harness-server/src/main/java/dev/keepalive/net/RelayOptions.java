package dev.keepalive.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable configuration of a {@link Relay}, and its one builder: {@link Builder#build()}
 * validates every option and names the offending one in its message, {@link Builder#start()} also
 * starts the relay. The {@code relay} command maps its flags onto the same builder.
 *
 * <p>The path model, per direction: a chunk of bytes read at time t leaves at {@code max(t, the
 * link is free, the handshake is done)}, takes {@code bytes × 8 / bandwidth} to serialise, and
 * arrives {@code rtt/2 + U[0, jitter]} later, never before the chunk read before it (order is
 * preserved, as TCP preserves it for the application). The handshake: the relay accepts at once
 * (the kernel completes the client's {@code connect} before any user-space code runs), but nothing
 * crosses in either direction until one RTT after the accept, so a fresh connection's first
 * response arrives at least two RTTs after its request started, a reused connection's one RTT.
 *
 * <p>Thread-safety: immutable; the {@link Builder} belongs to the thread that fills it.
 */
public final class RelayOptions {

  /** Largest RTT, jitter or idle time accepted, in ms (one minute, one day for idle). */
  static final long MAX_DELAY_MILLIS = 60_000;

  static final long MAX_IDLE_MILLIS = 86_400_000;

  private final String host;
  private final int port;
  private final List<InetSocketAddress> targets;
  private final long rttMillis;
  private final long jitterMillis;
  private final double bandwidthMbitPerSecond;
  private final long idleCloseMillis;
  private final IdleClose idleClose;
  private final int ioThreads;
  private final int controlPort;

  private RelayOptions(Builder b) {
    host = b.host;
    port = b.port;
    targets = List.copyOf(b.targets);
    rttMillis = b.rttMillis;
    jitterMillis = b.jitterMillis;
    bandwidthMbitPerSecond = b.bandwidthMbitPerSecond;
    idleCloseMillis = b.idleCloseMillis;
    idleClose = b.idleClose;
    ioThreads = b.ioThreads;
    controlPort = b.controlPort;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Address the relay's listeners and control port bind; default {@code 127.0.0.1}. */
  public String host() {
    return host;
  }

  /** Port of the first listener (listener i binds port + i); default 0 = ephemeral ports. */
  public int port() {
    return port;
  }

  /** Where listener i forwards to, one target per listener, in listener order; at least one. */
  public List<InetSocketAddress> targets() {
    return targets;
  }

  /** Round trip time added to the path, ms: half on each direction. Default 0 (no delay). */
  public long rttMillis() {
    return rttMillis;
  }

  /**
   * Extra delay per direction, uniform in [0, jitter] ms, drawn per chunk of bytes read; default 0.
   * Order is preserved: a chunk never overtakes the one before it, so jitter only ever adds delay.
   */
  public long jitterMillis() {
    return jitterMillis;
  }

  /**
   * Bandwidth of each direction of each connection, Mbit/s; default 0 = unlimited. WARNING: unlike
   * {@code netem rate}, which shapes a whole interface, this is per connection: connections never
   * wait for one another.
   */
  public double bandwidthMbitPerSecond() {
    return bandwidthMbitPerSecond;
  }

  /**
   * A flow without a byte in either direction for this long is ended as {@link #idleClose()} says;
   * default 0 = never. Bytes still travelling inside the relay count as activity.
   */
  public long idleCloseMillis() {
    return idleCloseMillis;
  }

  /** What the idle close does; default {@link IdleClose#FIN}. Only used with an idle time. */
  public IdleClose idleClose() {
    return idleClose;
  }

  /** Selector threads; connections are spread over them round-robin. Default 1. */
  public int ioThreads() {
    return ioThreads;
  }

  /**
   * Port of the control endpoint ({@code GET /stats}, {@code POST /stats/reset}); 0 = ephemeral.
   */
  public int controlPort() {
    return controlPort;
  }

  @Override
  public String toString() {
    return "rtt "
        + rttMillis
        + " ms, jitter "
        + jitterMillis
        + " ms, bandwidth "
        + (bandwidthMbitPerSecond == 0 ? "unlimited" : bandwidthMbitPerSecond + " Mbit/s")
        + ", idle close "
        + (idleCloseMillis == 0
            ? "off"
            : idleClose.flagName() + " after " + idleCloseMillis + " ms");
  }

  /** Fills in options; {@link #build()} validates them. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private final List<InetSocketAddress> targets = new ArrayList<>();
    private long rttMillis;
    private long jitterMillis;
    private double bandwidthMbitPerSecond;
    private long idleCloseMillis;
    private IdleClose idleClose = IdleClose.FIN;
    private int ioThreads = 1;
    private int controlPort;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Adds a target: the next listener forwards to it. */
    public Builder to(InetSocketAddress target) {
      targets.add(target);
      return this;
    }

    /** Adds a target: the next listener forwards to {@code host:port}. */
    public Builder to(String host, int port) {
      return to(new InetSocketAddress(host, port));
    }

    /** Adds one target per address, in order. */
    public Builder to(List<InetSocketAddress> targets) {
      this.targets.addAll(targets);
      return this;
    }

    public Builder rttMillis(long rttMillis) {
      this.rttMillis = rttMillis;
      return this;
    }

    public Builder jitterMillis(long jitterMillis) {
      this.jitterMillis = jitterMillis;
      return this;
    }

    public Builder bandwidthMbitPerSecond(double bandwidthMbitPerSecond) {
      this.bandwidthMbitPerSecond = bandwidthMbitPerSecond;
      return this;
    }

    public Builder idleCloseMillis(long idleCloseMillis) {
      this.idleCloseMillis = idleCloseMillis;
      return this;
    }

    public Builder idleClose(IdleClose idleClose) {
      this.idleClose = idleClose;
      return this;
    }

    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    public Builder controlPort(int controlPort) {
      this.controlPort = controlPort;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option, its value and the allowed range
     */
    public RelayOptions build() {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must be an address, was '" + host + "'");
      }
      check("port", port, 0, 65535);
      check("targets", targets.size(), 1, 64);
      for (InetSocketAddress t : targets) {
        if (t == null || t.isUnresolved()) {
          throw new IllegalArgumentException("target must be a resolvable host:port, was " + t);
        }
      }
      if (port > 0) {
        check("port + listeners - 1", port + targets.size() - 1L, 1, 65535);
      }
      check("rttMillis", rttMillis, 0, MAX_DELAY_MILLIS);
      check("jitterMillis", jitterMillis, 0, MAX_DELAY_MILLIS);
      if (!(bandwidthMbitPerSecond >= 0 && bandwidthMbitPerSecond <= 1_000_000)) {
        throw new IllegalArgumentException(
            "bandwidthMbitPerSecond must be in [0, 1000000] (0 = unlimited), was "
                + bandwidthMbitPerSecond);
      }
      check("idleCloseMillis", idleCloseMillis, 0, MAX_IDLE_MILLIS);
      if (idleClose == null) {
        throw new IllegalArgumentException("idleClose must be fin, rst or silent, was null");
      }
      check("ioThreads", ioThreads, 1, 16);
      check("controlPort", controlPort, 0, 65535);
      return new RelayOptions(this);
    }

    /**
     * Builds the options and starts a relay with them: {@code Relay.start(build())}.
     *
     * @throws IllegalArgumentException as {@link #build()}
     * @throws RelayStartException if a port cannot be bound
     */
    public Relay start() {
      return Relay.start(build());
    }

    private static void check(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be in [" + min + ", " + max + "], was " + value);
      }
    }
  }
}
