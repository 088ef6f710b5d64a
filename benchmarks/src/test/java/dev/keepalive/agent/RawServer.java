package dev.keepalive.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server that speaks raw bytes: connection i (0-based) is handled by script i (the last
 * script serves all later connections). Counts accepted connections and records their client ports.
 */
final class RawServer implements AutoCloseable {

  /** What the server does with one accepted connection. */
  interface Script {
    void handle(Socket s, InputStream in) throws Exception;
  }

  private final ServerSocket server;
  private final List<Script> scripts;
  private final Thread acceptor;
  final AtomicInteger accepted = new AtomicInteger();
  final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  RawServer(Script... scripts) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.scripts = List.of(scripts);
    this.acceptor = new Thread(this::acceptLoop, "raw-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      int i = accepted.getAndIncrement();
      clientPorts.add(s.getPort());
      open.add(s);
      Script script = scripts.get(Math.min(i, scripts.size() - 1));
      Thread t =
          new Thread(
              () -> {
                try (Socket sock = s) {
                  script.handle(sock, sock.getInputStream());
                } catch (Exception e) {
                  // the client hung up first, or the script ended the connection on purpose
                }
              },
              "raw-server-conn-" + i);
      t.setDaemon(true);
      t.start();
    }
  }

  /** Reads one request head (through the blank line); false at EOF. */
  static boolean readHead(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    return true;
  }

  static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** Answers every request on the connection with a small keep-alive response. */
  static final Script SERVE =
      (s, in) -> {
        while (readHead(in)) {
          write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
      };

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
