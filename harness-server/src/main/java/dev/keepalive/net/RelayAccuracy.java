package dev.keepalive.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures how faithfully the relay adds its RTT: {@code java -cp benchmarks.jar
 * dev.keepalive.net.RelayAccuracy [RTT_MS [REQUESTS]]} (defaults 10 and 1000).
 *
 * <p>One blocking client sends keep-alive HTTP/1.1 requests one at a time to a minimal blocking
 * responder (fixed 13-byte response), directly and through a relay in this JVM, and prints a
 * Markdown table: latency directly, through the relay at RTT 0 (the relay's own cost) and at RTT R,
 * the extra latency (through the relay minus R, minus the direct latency), and fresh connections at
 * R (minus 2R). Percentiles are of the individual requests, in µs. Not a JMH benchmark: it measures
 * the relay, not a client, and needs no fork.
 */
public final class RelayAccuracy {
  private static final byte[] REQUEST =
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESPONSE =
      "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!"
          .getBytes(StandardCharsets.US_ASCII);
  private static final String LOOPBACK = "127.0.0.1";

  private RelayAccuracy() {}

  public static void main(String[] args) throws Exception {
    long rttMillis = args.length > 0 ? Long.parseLong(args[0]) : 10;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    try (Responder server = new Responder()) {
      long[] direct;
      long[] atZero;
      long[] atRtt;
      long[] fresh;
      try (Relay zero = RelayOptions.builder().to(LOOPBACK, server.port()).start();
          Relay far =
              RelayOptions.builder().to(LOOPBACK, server.port()).rttMillis(rttMillis).start()) {
        keepAlive(server.port(), 5_000); // warm-up: JIT of both sides
        keepAlive(zero.port(), 5_000);
        direct = keepAlive(server.port(), 20_000);
        atZero = keepAlive(zero.port(), 20_000);
        atRtt = keepAlive(far.port(), requests);
        fresh = freshConnections(far.port(), Math.max(50, requests / 10));
      }
      long rttMicros = rttMillis * 1000;
      System.out.printf(
          Locale.ROOT,
          "relay accuracy: %d-byte responses to keep-alive requests one at a time, RTT %d ms;"
              + " µs; load average %s%n%n",
          RESPONSE.length,
          rttMillis,
          loadAverage());
      System.out.println("| path | requests | p50 | p99 | p99.9 | max |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      row("direct", direct, 0);
      row("relay, RTT 0", atZero, 0);
      row("relay, RTT 0, minus direct p50", atZero, p(direct, 0.5));
      row("relay, RTT " + rttMillis + " ms, minus RTT", atRtt, rttMicros);
      row("relay, RTT " + rttMillis + " ms, fresh connection, minus 2 RTT", fresh, 2 * rttMicros);
    }
  }

  /** The 1-minute load average, or "unknown": the figures depend on how busy the machine was. */
  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static void row(String name, long[] micros, long minus) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %,d | %,d | %,d | %,d | %,d |%n",
        name,
        micros.length,
        p(micros, 0.5) - minus,
        p(micros, 0.99) - minus,
        p(micros, 0.999) - minus,
        micros[micros.length - 1] - minus);
  }

  /** The p-quantile of sorted values (nearest rank). */
  private static long p(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Latencies in µs, sorted, of {@code n} requests on one connection (after one unrecorded). */
  private static long[] keepAlive(int port, int n) throws IOException {
    long[] out = new long[n];
    try (Socket s = open(port)) {
      exchange(s);
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        exchange(s);
        out[i] = (System.nanoTime() - start) / 1000;
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** Latencies in µs, sorted, of {@code n} requests each on a new connection (connect included). */
  private static long[] freshConnections(int port, int n) throws IOException {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      try (Socket s = open(port)) {
        exchange(s);
        out[i] = (System.nanoTime() - start) / 1000;
      }
    }
    Arrays.sort(out);
    return out;
  }

  private static Socket open(int port) throws IOException {
    Socket s = new Socket(LOOPBACK, port);
    s.setTcpNoDelay(true);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void exchange(Socket s) throws IOException {
    s.getOutputStream().write(REQUEST);
    byte[] got = s.getInputStream().readNBytes(RESPONSE.length);
    if (got.length != RESPONSE.length) {
      throw new IOException("short response: " + got.length + " bytes");
    }
  }

  /** Answers every request head with {@link #RESPONSE}; one thread per connection. */
  private static final class Responder implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 128, InetAddress.getByName(LOOPBACK));
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor = new Thread(this::accept, "accuracy-responder");

    Responder() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket s = listener.accept();
          s.setTcpNoDelay(true);
          synchronized (sockets) {
            sockets.add(s);
          }
          Thread t = new Thread(() -> serve(s), "accuracy-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          if (!listener.isClosed()) {
            throw new IllegalStateException("responder accept failed", e);
          }
        }
      }
    }

    private static void serve(Socket s) {
      try (s;
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream()) {
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
          matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
          if (matched == 4) {
            out.write(RESPONSE);
            matched = 0;
          }
        }
      } catch (IOException e) {
        System.err.println("relay accuracy: a responder connection failed: " + e);
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      synchronized (sockets) {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }
}
