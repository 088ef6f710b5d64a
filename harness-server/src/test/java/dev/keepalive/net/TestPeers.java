package dev.keepalive.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The far ends of relay tests: an echo server, a server that hands its sockets to the test. */
final class TestPeers {
  private TestPeers() {}

  /**
   * A blocking TCP server on 127.0.0.1: {@code echo} echoes every connection until EOF, then
   * closes; otherwise accepted sockets are handed to the test through {@link #accepted}.
   */
  static final class Server implements AutoCloseable {
    final ServerSocket socket;
    final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final boolean echo;

    /** Failures of echo connections: none, unless the test reset one on purpose. */
    final List<IOException> echoFailures = new CopyOnWriteArrayList<>();

    Server(boolean echo) throws IOException {
      this.echo = echo;
      socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::acceptLoop, "test-server");
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void acceptLoop() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          all.add(s);
          if (echo) {
            Thread t = new Thread(() -> echo(s, echoFailures), "test-echo");
            t.setDaemon(true);
            threads.add(t);
            t.start();
          } else {
            accepted.add(s);
          }
        } catch (IOException e) {
          if (!socket.isClosed()) {
            throw new IllegalStateException("test server accept failed", e);
          }
        }
      }
    }

    private static void echo(Socket s, List<IOException> failures) {
      try (s;
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream()) {
        byte[] buf = new byte[16 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        failures.add(e);
      }
    }

    /** The next accepted socket, within 5 s. */
    Socket next() throws InterruptedException {
      Socket s = accepted.poll(5, TimeUnit.SECONDS);
      if (s == null) {
        throw new AssertionError("the server accepted no connection within 5 s");
      }
      return s;
    }

    @Override
    public void close() throws IOException, InterruptedException {
      socket.close();
      for (Socket s : all) {
        s.close();
      }
      for (Thread t : threads) {
        t.join(5_000);
      }
    }
  }

  /** Open network (non-UNIX-domain) sockets of this process, or -1 without /proc. */
  static long openSockets() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    Set<String> unix = new HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/net/unix"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 7 && !f[0].equals("Num")) {
          unix.add(f[6]);
        }
      }
    } catch (IOException e) {
      return -1;
    }
    try (Stream<Path> s = Files.list(fds)) {
      return s.filter(
              fd -> {
                try {
                  String link = Files.readSymbolicLink(fd).toString();
                  return link.startsWith("socket:[")
                      && !unix.contains(link.substring(8, link.length() - 1));
                } catch (IOException e) {
                  return false; // closed while listing
                }
              })
          .count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Waits up to 5 s for the open socket count to fall to {@code before}; the last count. */
  static long awaitSocketsAtMost(long before) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long now = openSockets();
    while (now > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
      now = openSockets();
    }
    return now;
  }
}
