package dev.keepalive.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The relay's control endpoint, on a port of its own (the relay's ports carry only the relayed
 * bytes): {@code GET /stats} answers {@link RelayStats} as JSON, {@code POST /stats/reset} starts a
 * new counting period (204). One request per connection ({@code Connection: close}), served one at
 * a time on a thread of its own, away from the loops.
 *
 * <p>Thread-safety: its own thread serves; {@link #close()} from the controlling thread.
 */
final class RelayControl implements Runnable, AutoCloseable {
  private static final int MAX_HEAD_BYTES = 8192;

  private final ServerSocket server;
  private final RelayCounters counters;
  private final Thread thread;

  RelayControl(String host, int port, RelayCounters counters) throws IOException {
    this.server = new ServerSocket(port, 50, InetAddress.getByName(host));
    this.counters = counters;
    this.thread = new Thread(this, "relay-control");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void run() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(5_000);
        serve(s);
      } catch (SocketException e) {
        if (!server.isClosed()) {
          RelayLoop.LOG.log(System.Logger.Level.WARNING, "relay control: " + e);
        }
      } catch (IOException e) {
        RelayLoop.LOG.log(System.Logger.Level.WARNING, "relay control: " + e);
      }
    }
  }

  private void serve(Socket s) throws IOException {
    String head = readHead(s.getInputStream());
    String[] requestLine = head.split("\r\n", 2)[0].split(" ");
    String method = requestLine[0].toUpperCase(Locale.ROOT);
    String path = requestLine.length > 1 ? requestLine[1] : "";
    OutputStream out = s.getOutputStream();
    if (path.equals("/stats") && (method.equals("GET") || method.equals("HEAD"))) {
      byte[] body = counters.snapshot().toJson().getBytes(StandardCharsets.UTF_8);
      respond(out, "200 OK", "application/json", method.equals("HEAD") ? new byte[0] : body);
    } else if (path.equals("/stats/reset") && method.equals("POST")) {
      counters.reset();
      respond(out, "204 No Content", null, new byte[0]);
    } else {
      respond(
          out,
          "404 Not Found",
          "text/plain",
          "GET /stats or POST /stats/reset\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (head.size() < MAX_HEAD_BYTES) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void respond(OutputStream out, String status, String type, byte[] body)
      throws IOException {
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
    if (type != null) {
      h.append("Content-Type: ").append(type).append("\r\n");
    }
    h.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
