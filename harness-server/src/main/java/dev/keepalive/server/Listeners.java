package dev.keepalive.server;

import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The server's sockets: one XNIO worker and, per listener, Undertow's HTTP/1.1 open listener behind
 * an accept hook that gives every connection a {@link ConnectionWatch} (through a {@link
 * WatchedSourceConduit} under Undertow's parser) before Undertow sees it. Undertow's own builder
 * has no such hook; this is what it would build, with the same worker and socket settings and 16
 * KiB direct buffers, minus its idle timer ({@code NO_REQUEST_TIMEOUT}), which the watch replaces,
 * and minus its request-size cap ({@code MAX_ENTITY_SIZE}): the only route that keeps a body,
 * {@code /echo}, bounds it itself and answers 413, where Undertow's cap reset the connection.
 *
 * <p>Thread-safety: controlled (see the package).
 */
final class Listeners implements AutoCloseable {

  private final XnioWorker worker;
  private final List<AcceptingChannel<? extends StreamConnection>> channels = new ArrayList<>();
  private final List<HttpOpenListener> openListeners = new ArrayList<>();

  private Listeners(XnioWorker worker) {
    this.worker = worker;
  }

  /**
   * Binds one listener per root handler, on {@code options.port() + i} (or ephemeral ports). With
   * {@code tls}, each listener speaks TLS first (Undertow's {@code UndertowXnioSsl}, as its builder
   * does for HTTPS); the watch and the parser see the decrypted stream.
   *
   * @throws IOException when a port cannot be bound (everything opened so far is closed)
   */
  static Listeners bind(
      ServerOptions options,
      List<HttpHandler> roots,
      List<ListenerCounters> counters,
      javax.net.ssl.SSLContext tls)
      throws IOException {
    XnioWorker worker =
        Xnio.getInstance(Listeners.class.getClassLoader())
            .createWorker(
                OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, options.ioThreads())
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.WORKER_TASK_CORE_THREADS, options.workerThreads())
                    .set(Options.WORKER_TASK_MAX_THREADS, options.workerThreads())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
    Listeners listeners = new Listeners(worker);
    try {
      OptionMap socketOptions =
          OptionMap.builder()
              .set(Options.WORKER_IO_THREADS, options.ioThreads())
              .set(Options.TCP_NODELAY, true)
              .set(Options.REUSE_ADDRESSES, true)
              .set(Options.BALANCING_TOKENS, 1)
              .set(Options.BALANCING_CONNECTIONS, 2)
              .set(Options.BACKLOG, 1024)
              .getMap();
      OptionMap undertowOptions =
          OptionMap.builder()
              .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
              .set(UndertowOptions.ALWAYS_SET_DATE, false)
              .set(UndertowOptions.MAX_ENTITY_SIZE, 0L) // no cap: see the class comment
              .getMap();
      DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4);
      InetAddress address = InetAddress.getByName(options.host());
      for (int i = 0; i < roots.size(); i++) {
        HttpOpenListener open = new HttpOpenListener(buffers, undertowOptions);
        open.setRootHandler(roots.get(i));
        ListenerCounters listenerCounters = counters.get(i);
        ChannelListener<StreamConnection> onAccept =
            connection -> {
              ConnectionWatch watch = new ConnectionWatch(connection, listenerCounters, options);
              connection
                  .getSourceChannel()
                  .setConduit(
                      new WatchedSourceConduit(connection.getSourceChannel().getConduit(), watch));
              watch.hookClose();
              open.handleEvent(connection);
            };
        int port = options.port() == 0 ? 0 : options.port() + i;
        InetSocketAddress at = new InetSocketAddress(address, port);
        AcceptingChannel<? extends StreamConnection> channel =
            tls == null
                ? worker.createStreamConnectionServer(
                    at, ChannelListeners.openListenerAdapter(onAccept), socketOptions)
                : new io.undertow.protocols.ssl.UndertowXnioSsl(
                        worker.getXnio(), OptionMap.create(Options.USE_DIRECT_BUFFERS, true), tls)
                    .createSslConnectionServer(
                        worker,
                        at,
                        ChannelListeners.<org.xnio.ssl.SslConnection>openListenerAdapter(onAccept),
                        socketOptions);
        listeners.channels.add(channel);
        listeners.openListeners.add(open);
        channel.resumeAccepts();
      }
      return listeners;
    } catch (IOException | RuntimeException e) {
      listeners.close();
      throw e;
    }
  }

  /** Bound addresses, in listener order. */
  List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (AcceptingChannel<? extends StreamConnection> c : channels) {
      out.add(c.getLocalAddress(InetSocketAddress.class));
    }
    return out;
  }

  void executeOnIoThread(Runnable task) {
    worker.getIoThread(0).execute(task);
  }

  /** Stops accepting, closes every connection and waits for the worker's threads. */
  @Override
  public void close() {
    channels.forEach(IoUtils::safeClose);
    openListeners.forEach(HttpOpenListener::closeConnections);
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
