package dev.keepalive.conformance;

import dev.keepalive.server.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;

/**
 * The scripted HTTP/1.1 server of the conformance runs. Each scenario gets listeners of its own
 * (its origins), so everything a listener sees belongs to one scenario. The server records, from
 * its side, every connection it accepted and which connection carried each request, with the
 * request's {@code Connection} header.
 *
 * <p>A request path is {@code /<round>.<index>/<directives>}; the directives say how to answer:
 *
 * <ul>
 *   <li>none: {@code 200}, {@code Content-Length: 2}, {@code ok}; a request's {@code Connection:
 *       close} is honoured (answered with {@code Connection: close}, then the connection closed)
 *   <li>{@code delay/<ms>} first waits; {@code hint/<value>} adds {@code Keep-Alive: <value>}
 *   <li>{@code close}: answers {@code Connection: close} and closes; {@code ignore-close} keeps the
 *       connection open although the request asked to close it
 *   <li>{@code stray/<ms>}: after the response waits, then sends a second, unsolicited response
 *       whose body is {@code stray}
 *   <li>{@code idle/<ms>}: from now on closes the connection once idle that long; {@code fin/<ms>}:
 *       closes it that long after the response
 *   <li>{@code drop}: closes without answering; {@code reset}: resets (RST) without answering
 *   <li>{@code http10}, {@code http10ka}: an HTTP/1.0 response, without (then closes) or with
 *       {@code Connection: keep-alive}; {@code eof}: a body delimited by the close; {@code
 *       chunked}; {@code interim}: a {@code 100 Continue} first
 *   <li>{@code fold}: a header folded over two lines (obs-fold); {@code fold-cl}: a folded {@code
 *       Content-Length}
 * </ul>
 *
 * <p>An HTTPS scenario's listeners serve TLS with one self-signed certificate ({@link
 * #certificate()}), made when the first is opened; the server records, per connection, whether its
 * handshake was full or resumed a session (see {@link ServerTls}).
 *
 * <p>Thread-safety: an accept thread per listener and a thread per connection; the log is safe to
 * read from any thread.
 */
final class ScenarioServer implements AutoCloseable {

  private static final String OK = "HTTP/1.1 200 OK\r\n";
  private static final String STRAY = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray";
  private static final int MAX_HEAD_BYTES = 16 * 1024;

  /** What the server saw of one scenario. */
  static final class Log {
    /** Client ports of the accepted connections, in accept order. */
    final List<Integer> connections = new CopyOnWriteArrayList<>();

    /** Per request id ({@code round.index}): the connection (index into connections) it came on. */
    final Map<String, Integer> connectionOf = new ConcurrentHashMap<>();

    /** Per request id: its {@code Connection} header, lower case, or "-". */
    final Map<String, String> connectionHeaderOf = new ConcurrentHashMap<>();

    /**
     * Over HTTPS, per connection (index into connections): {@code full} (the server chose its
     * certificate), {@code resumed} (it did not: the client resumed a session) or {@code failed}.
     */
    final Map<Integer, String> handshakeOf = new ConcurrentHashMap<>();
  }

  private final List<ServerSocket> listeners = new ArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Map<Integer, Log> logs = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private ServerTls tls;

  /**
   * Opens a listener on 127.0.0.1 for one origin of {@code scenario}, serving TLS when {@code
   * https}; returns its port.
   */
  int listen(int scenario, boolean https) throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ServerSocket server =
        https
            ? tls().context().getServerSocketFactory().createServerSocket(0, 64, loopback)
            : new ServerSocket(0, 64, loopback);
    listeners.add(server);
    Log log = logs.computeIfAbsent(scenario, k -> new Log());
    Thread t = new Thread(() -> accept(server, log), "scenario-" + scenario + "-accept");
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }

  /** Opens a listener for each origin of every scenario: ports[scenario][origin]. */
  int[][] listenAll(List<Scenario> scenarios) throws IOException {
    int[][] ports = new int[scenarios.size()][];
    for (int i = 0; i < ports.length; i++) {
      ports[i] = new int[scenarios.get(i).origins()];
      for (int o = 0; o < ports[i].length; o++) {
        ports[i][o] = listen(i, scenarios.get(i).https());
      }
    }
    return ports;
  }

  /** The TLS of the HTTPS listeners, made on first use. */
  private synchronized ServerTls tls() {
    if (tls == null) {
      tls = ServerTls.selfSigned();
    }
    return tls;
  }

  /** The certificate the HTTPS listeners serve: what a client's {@code ca} trusts. */
  X509Certificate certificate() {
    return tls().certificate();
  }

  /** {@link #certificate()} as PEM, for Node's {@code ca}. */
  String certificatePem() {
    return tls().certificatePem();
  }

  /**
   * The URL of request {@code index} of round {@code round} of {@code scenario}, on the listener of
   * its origin.
   */
  static String url(Scenario scenario, int[] ports, Scenario.Step step, int round, int index) {
    return (scenario.https() ? "https" : "http")
        + "://127.0.0.1:"
        + ports[step.origin()]
        + step.path(round, index);
  }

  /**
   * What the server saw of {@code scenario}. Read it once the run is over and the server had a
   * moment to accept the last connections ({@link #settle()}).
   */
  Log log(int scenario) {
    return logs.computeIfAbsent(scenario, k -> new Log());
  }

  private void accept(ServerSocket server, Log log) {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      int id;
      synchronized (log) {
        id = log.connections.size();
        log.connections.add(s.getPort());
      }
      open.add(s);
      Thread t = new Thread(() -> serve(s, log, id), "scenario-conn-" + s.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s, Log log, int connection) {
    try (s) {
      s.setTcpNoDelay(true);
      if (s instanceof SSLSocket ssl) {
        try {
          ssl.startHandshake();
        } catch (IOException e) {
          log.handshakeOf.put(connection, "failed");
          throw e;
        }
        log.handshakeOf.put(connection, tls().fullHandshake(ssl) ? "full" : "resumed");
      }
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      int idleMillis = 0;
      while (true) {
        s.setSoTimeout(idleMillis);
        List<String> head;
        try {
          head = readHead(in);
        } catch (SocketTimeoutException e) {
          return; // idle too long: close
        }
        if (head == null) {
          return;
        }
        String[] parts = head.get(0).split(" ");
        String[] path = parts.length > 1 ? parts[1].split("/") : new String[0];
        String id = path.length > 1 ? path[1] : "?";
        String connectionHeader = header(head, "connection");
        log.connectionOf.put(id, connection);
        log.connectionHeaderOf.put(id, connectionHeader);
        Answer a = Answer.of(path, connectionHeader, parts[0].equals("HEAD"));
        if (a.delayMillis > 0) {
          Thread.sleep(a.delayMillis);
        }
        if (a.reset) {
          s.setSoLinger(true, 0);
          return;
        }
        if (a.response == null) {
          return; // drop
        }
        out.write(a.response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (a.strayAfterMillis >= 0) {
          Thread.sleep(a.strayAfterMillis);
          out.write(STRAY.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
        if (a.finAfterMillis >= 0) {
          Thread.sleep(a.finAfterMillis);
          return;
        }
        if (a.idleMillis > 0) {
          idleMillis = a.idleMillis;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client closed first: nothing to record
    } finally {
      open.remove(s);
    }
  }

  /** How to answer one request, from its path's directives. */
  private static final class Answer {
    String response;
    long delayMillis;
    long strayAfterMillis = -1;
    long finAfterMillis = -1;
    int idleMillis;
    boolean reset;

    static Answer of(String[] path, String connectionHeader, boolean head) {
      Answer a = new Answer();
      String status = OK;
      String headers = "";
      String framing = "Content-Length: 2\r\n";
      String body = head ? "" : "ok";
      boolean close = connectionHeader.contains("close");
      for (int i = 2; i < path.length; i++) {
        switch (path[i]) {
          case "delay" -> a.delayMillis = Long.parseLong(path[++i]);
          case "hint" ->
              headers +=
                  "Keep-Alive: " + URLDecoder.decode(path[++i], StandardCharsets.UTF_8) + "\r\n";
          case "stray" -> a.strayAfterMillis = Long.parseLong(path[++i]);
          case "idle" -> a.idleMillis = Integer.parseInt(path[++i]);
          case "fin" -> a.finAfterMillis = Long.parseLong(path[++i]);
          case "close" -> close = true;
          case "ignore-close" -> close = false;
          case "drop" -> {
            return a;
          }
          case "reset" -> {
            a.reset = true;
            return a;
          }
          case "http10" -> {
            status = "HTTP/1.0 200 OK\r\n";
            close = true;
          }
          case "http10ka" -> {
            status = "HTTP/1.0 200 OK\r\n";
            headers += "Connection: keep-alive\r\n";
          }
          case "eof" -> {
            framing = "";
            close = true;
          }
          case "chunked" -> {
            framing = "Transfer-Encoding: chunked\r\n";
            body = head ? "" : "2\r\nok\r\n0\r\n\r\n";
          }
          case "interim" -> status = "HTTP/1.1 100 Continue\r\n\r\n" + status;
          case "fold" -> headers += "X-Fold: one\r\n two\r\n";
          case "fold-cl" -> framing = "Content-Length:\r\n 2\r\n";
          default -> throw new IllegalArgumentException("unknown directive '" + path[i] + "'");
        }
      }
      if (close && !status.startsWith("HTTP/1.0") && !framing.isEmpty()) {
        headers += "Connection: close\r\n";
      }
      a.response = status + headers + framing + "\r\n" + body;
      if (close) {
        a.finAfterMillis = 0;
      }
      return a;
    }
  }

  /** The request line and header lines up to the blank line; null at EOF. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int total = 0;
    for (int b; (b = in.read()) >= 0; ) {
      if (++total > MAX_HEAD_BYTES) {
        throw new IOException("request head too large");
      }
      if (b == '\n') {
        int len = line.length();
        String l =
            len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
        if (l.isEmpty()) {
          return lines;
        }
        lines.add(l);
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    return null;
  }

  /** The first header {@code name}'s value, lower case, or "-". */
  private static String header(List<String> head, String name) {
    for (String l : head.subList(1, head.size())) {
      int colon = l.indexOf(':');
      if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return l.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      }
    }
    return "-";
  }

  /** Waits for accepts still under way when a run ends: connections a client opened last. */
  void settle() throws InterruptedException {
    Thread.sleep(SETTLE_MILLIS);
  }

  private static final long SETTLE_MILLIS = 100;

  @Override
  public void close() throws IOException {
    closed = true;
    for (ServerSocket l : listeners) {
      l.close();
    }
    for (Socket s : open) {
      s.close();
    }
  }
}
