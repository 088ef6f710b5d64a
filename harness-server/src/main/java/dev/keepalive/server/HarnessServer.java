package dev.keepalive.server;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.xnio.Options;

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

  private final ServerOptions options;
  private final List<ListenerCounters> counters = new ArrayList<>();
  private Undertow undertow;
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
    if (undertow != null) {
      throw new IllegalStateException("server already started");
    }
    QuietLogging.apply();
    Undertow.Builder b =
        Undertow.builder()
            .setIoThreads(options.ioThreads())
            .setWorkerThreads(options.workerThreads())
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_BODY_BYTES)
            .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
            .setSocketOption(Options.TCP_NODELAY, true)
            .setSocketOption(Options.REUSE_ADDRESSES, true)
            .setSocketOption(Options.BACKLOG, 1024);
    if (options.idleTimeoutMillis() > 0) {
      // NO_REQUEST_TIMEOUT closes a kept-alive connection that sends no new request in time;
      // IDLE_TIMEOUT alone does not close idle HTTP/1.1 connections.
      b.setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) options.idleTimeoutMillis());
    }
    for (int i = 0; i < options.listeners(); i++) {
      int port = options.port() == 0 ? 0 : options.port() + i;
      b.addListener(
          new Undertow.ListenerBuilder()
              .setType(Undertow.ListenerType.HTTP)
              .setHost(options.host())
              .setPort(port)
              .setRootHandler(new Routes(this, counters.get(i))));
    }
    Undertow server = b.build();
    try {
      server.start();
    } catch (RuntimeException e) {
      server.stop();
      throw new ServerStartException(describeStartFailure(e), e);
    }
    List<Integer> bound = new ArrayList<>();
    for (Undertow.ListenerInfo info : server.getListenerInfo()) {
      bound.add(((InetSocketAddress) info.getAddress()).getPort());
    }
    this.ports = Collections.unmodifiableList(bound);
    this.undertow = server;
    return this;
  }

  private String describeStartFailure(RuntimeException e) {
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

  /** {@code http://host:port/} of the first listener. */
  public URI uri() {
    return uris().get(0);
  }

  public List<URI> uris() {
    List<URI> out = new ArrayList<>();
    for (int port : ports()) {
      out.add(URI.create("http://" + hostForUri() + ":" + port + "/"));
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
    return ServerStats.of(each);
  }

  /**
   * Starts a new counting period: accepted, closed, requests and the per-connection distribution
   * restart from zero; {@code connectionsOpen} stays a live gauge, and connections accepted before
   * the reset are not counted when they close.
   */
  public void resetStats() {
    for (ListenerCounters c : counters) {
      c.reset();
    }
  }

  /** Stops the server and waits for its threads; open connections are closed. Idempotent. */
  @Override
  public synchronized void close() {
    if (undertow != null) {
      undertow.stop();
      undertow = null;
    }
  }
}
