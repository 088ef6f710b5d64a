package dev.keepalive.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The network-path relay: listener i accepts clients and relays each connection to target i, adding
 * the RTT, jitter and bandwidth limit of {@link RelayOptions} to every byte and closing idle flows
 * as a middlebox would ({@link IdleClose}). Counters are read with {@link #stats()}, or by another
 * process from the control endpoint ({@link #statsUri()}).
 *
 * <pre>{@code
 * try (Relay relay = RelayOptions.builder().to("127.0.0.1", 8080).rttMillis(10).start()) {
 *   URI through = relay.uri();   // send requests here instead of to 127.0.0.1:8080
 *   relay.stats().connectionsAccepted();
 * }
 * }</pre>
 *
 * <p>Thread-safety: the package's rule: {@link #start(RelayOptions)} and {@link #close()} belong to
 * one controlling thread; {@link #stats()} and {@link #resetStats()} may be called from any thread.
 */
public final class Relay implements AutoCloseable {

  private final RelayOptions options;
  private final RelayCounters counters = new RelayCounters();
  private final List<RelayLoop> loops = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private RelayControl control;
  private boolean closed;

  private Relay(RelayOptions options) {
    this.options = options;
  }

  /**
   * Binds every listener and the control port, and starts relaying until {@link #close()}.
   *
   * @throws RelayStartException if a port cannot be bound
   */
  public static Relay start(RelayOptions options) {
    Relay relay = new Relay(options);
    try {
      relay.bindAndStart();
    } catch (IOException | RuntimeException e) {
      relay.close();
      if (e instanceof RelayStartException r) {
        throw r;
      }
      throw new RelayStartException(relay.describe(e), e);
    }
    return relay;
  }

  private void bindAndStart() throws IOException {
    for (int i = 0; i < options.ioThreads(); i++) {
      loops.add(new RelayLoop(options, counters, i));
    }
    RelayLoop first = loops.get(0);
    for (int i = 0; i < options.targets().size(); i++) {
      ServerSocketChannel listener = ServerSocketChannel.open();
      try {
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        int port = options.port() == 0 ? 0 : options.port() + i;
        listener.bind(new InetSocketAddress(options.host(), port), 1024);
        listener.configureBlocking(false);
        // registered before the loop's thread starts: no select() to race with
        listener.register(
            first.selector,
            SelectionKey.OP_ACCEPT,
            new Acceptor(listener, options.targets().get(i), loops));
      } catch (IOException e) {
        listener.close();
        throw e;
      }
      ports.add(((InetSocketAddress) listener.getLocalAddress()).getPort());
    }
    control = new RelayControl(options.host(), options.controlPort(), counters);
    for (RelayLoop loop : loops) {
      loop.start();
    }
  }

  private String describe(Exception e) {
    if (e instanceof BindException) {
      String where =
          options.port() == 0
              ? options.host()
              : options.host() + ":" + options.port() + (options.targets().size() > 1 ? "+" : "");
      return "cannot bind "
          + where
          + " (or control port "
          + options.controlPort()
          + "): "
          + e.getMessage();
    }
    return "cannot start the relay: " + e;
  }

  public RelayOptions options() {
    return options;
  }

  /** Port of the first listener. */
  public int port() {
    return ports().get(0);
  }

  /** Ports of all listeners, in listener (= target) order. */
  public List<Integer> ports() {
    if (ports.isEmpty()) {
      throw new IllegalStateException("relay not started");
    }
    return List.copyOf(ports);
  }

  /** {@code http://host:port/} of the first listener. */
  public URI uri() {
    return uris().get(0);
  }

  /** {@code http://host:port/} of each listener, in target order. */
  public List<URI> uris() {
    List<URI> out = new ArrayList<>();
    for (int p : ports()) {
      out.add(URI.create("http://" + hostForUri() + ":" + p + "/"));
    }
    return out;
  }

  /** {@code http://host:port/stats} of the control endpoint. */
  public URI statsUri() {
    return URI.create("http://" + hostForUri() + ":" + control.port() + "/stats");
  }

  private String hostForUri() {
    String h = options.host();
    return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
  }

  /** The counters since the last {@link #resetStats()}. */
  public RelayStats stats() {
    return counters.snapshot();
  }

  /** Starts a new counting period; {@code connectionsOpen} stays a live gauge. */
  public void resetStats() {
    counters.reset();
  }

  /**
   * Stops relaying: every relayed connection is closed (FIN), then the listeners and the control
   * endpoint. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // the first loop accepts: once it has stopped, no socket is handed to the others
      for (RelayLoop loop : loops) {
        loop.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (control != null) {
        try {
          control.close();
        } catch (IOException e) {
          RelayLoop.LOG.log(System.Logger.Level.WARNING, "relay: closing the control port: " + e);
        }
      }
    }
  }
}
