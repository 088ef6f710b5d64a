package dev.keepalive.server;

import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The target server of the harness: an embedded Undertow HTTP/1.1 server that makes connection
 * reuse visible (every response carries {@code X-Client-Port} and {@code X-Connection-Requests}),
 * counts connections per listener, and misbehaves on demand (idle close, close after N requests,
 * drop, abort, delay). See {@link Routes} for the routes.
 *
 * <p>Started by {@link #start(ServerOptions)} or {@code ServerOptions.builder()…start()}: the
 * options have one builder, {@link ServerOptions.Builder}.
 *
 * <p>Thread-safety: controlled (see the package): {@link #start(ServerOptions)} and {@link
 * #close()} belong to one controlling thread; {@link #stats()} and {@link #resetStats()} may be
 * called from any thread while the server runs.
 */
public final class HarnessServer implements AutoCloseable {

  /** Largest body a route will produce or accept, in bytes (64 MiB). */
  public static final long MAX_BODY_BYTES = 64L << 20;

  private static final System.Logger LOG = System.getLogger("dev.keepalive.server");

  private final ServerOptions options;
  private final List<ListenerCounters> counters = new ArrayList<>();
  private final EchoBudget echoBudget = EchoBudget.forThisHeap();
  private Listeners listeners;
  private ServerTls tls;
  private List<Integer> ports = List.of();

  private HarnessServer(ServerOptions options) {
    this.options = options;
    for (int i = 0; i < options.listeners(); i++) {
      counters.add(new ListenerCounters(i));
    }
  }

  /**
   * Starts a server: binds every listener and serves until {@link #close()}.
   *
   * @throws ServerStartException if a port cannot be bound (in use, or not permitted)
   */
  public static HarnessServer start(ServerOptions options) {
    return new HarnessServer(options).start();
  }

  public ServerOptions options() {
    return options;
  }

  /** Binds every listener and starts serving; through {@link #start(ServerOptions)} only. */
  private synchronized HarnessServer start() {
    if (listeners != null) {
      throw new IllegalStateException("server already started");
    }
    QuietLogging.apply();
    Replies replies = new Replies(options);
    ControlRoutes control = new ControlRoutes(this, replies);
    List<HttpHandler> roots = new ArrayList<>();
    for (ListenerCounters c : counters) {
      roots.add(new Routes(options, c, replies, control, echoBudget));
    }
    if (options.tls()) {
      tls = ServerTls.of(options);
    }
    try {
      listeners = Listeners.bind(options, roots, counters, tls == null ? null : tls.context());
    } catch (IOException | RuntimeException e) {
      throw new ServerStartException(describeStartFailure(e), e);
    }
    List<Integer> bound = new ArrayList<>();
    for (InetSocketAddress address : listeners.addresses()) {
      bound.add(address.getPort());
      String warning = openNetworkWarning(address);
      if (warning != null) {
        LOG.log(System.Logger.Level.WARNING, warning);
      }
    }
    this.ports = Collections.unmodifiableList(bound);
    return this;
  }

  /**
   * The warning for a listener bound where other machines can reach it, or null on a loopback
   * address: its control routes (which check only the Host header) are open to that network.
   */
  static String openNetworkWarning(InetSocketAddress bound) {
    if (bound.getAddress().isLoopbackAddress()) {
      return null;
    }
    String where =
        bound.getAddress().isAnyLocalAddress()
            ? "every interface of this machine"
            : bound.getAddress().getHostAddress();
    return "harness-server: listening on "
        + where
        + " (port "
        + bound.getPort()
        + "), not on loopback: anyone on that network can read /stats and POST /stats/reset,"
        + " which trust the Host header alone";
  }

  private String describeStartFailure(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String where =
            options.port() == 0
                ? options.host()
                : options.host() + ":" + options.port() + (options.listeners() > 1 ? "+" : "");
        return "cannot bind " + where + ": " + t.getMessage();
      }
    }
    return "cannot start server: " + e;
  }

  /** The budget of the bodies {@code /echo} buffers; package-private, for tests. */
  EchoBudget echoBudget() {
    return echoBudget;
  }

  /**
   * Runs {@code task} on the first IO thread; package-private, for tests that need that thread busy
   * (as a large upload or a GC pause makes it).
   */
  synchronized void executeOnIoThread(Runnable task) {
    if (listeners == null) {
      throw new IllegalStateException("server not started");
    }
    listeners.executeOnIoThread(task);
  }

  /** Port of the first listener. */
  public int port() {
    return ports().get(0);
  }

  /** Ports of all listeners, in listener order; each is a separate origin for a client's pool. */
  public List<Integer> ports() {
    if (ports.isEmpty()) {
      throw new IllegalStateException("server not started");
    }
    return ports;
  }

  /** {@code http://host:port/} (or {@code https://}) of the first listener. */
  public URI uri() {
    return uris().get(0);
  }

  public List<URI> uris() {
    List<URI> out = new ArrayList<>();
    for (int port : ports()) {
      out.add(
          URI.create((tls == null ? "http" : "https") + "://" + hostForUri() + ":" + port + "/"));
    }
    return out;
  }

  private String hostForUri() {
    String h = options.host();
    return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
  }

  /** An immutable snapshot of the counters, total and per listener. */
  public ServerStats stats() {
    List<ListenerStats> each = new ArrayList<>();
    for (ListenerCounters c : counters) {
      each.add(c.snapshot(ports.isEmpty() ? 0 : ports.get(c.index())));
    }
    return ServerStats.of(each, tls == null ? null : tls.fullHandshakes());
  }

  /**
   * The server's certificate as PEM (for a client's {@code ca}), or null when it serves plain HTTP.
   */
  public String certificatePem() {
    return tls == null ? null : tls.certificatePem();
  }

  /** The server's certificate, or null when it serves plain HTTP. */
  public java.security.cert.X509Certificate certificate() {
    return tls == null ? null : tls.certificate();
  }

  /**
   * Starts a new counting period: accepted, closed, requests, the per-connection distribution, the
   * connections closed unserved and the request-read timeouts restart from zero; {@code
   * connectionsOpen} and {@code connectionsOpenUnserved} stay live gauges, and connections accepted
   * before the reset are not counted when they close.
   */
  public void resetStats() {
    for (ListenerCounters c : counters) {
      c.reset();
    }
    if (tls != null) {
      tls.reset();
    }
  }

  /** Stops the server and waits for its threads; open connections are closed. Idempotent. */
  @Override
  public synchronized void close() {
    if (listeners != null) {
      listeners.close();
      listeners = null;
    }
  }
}
