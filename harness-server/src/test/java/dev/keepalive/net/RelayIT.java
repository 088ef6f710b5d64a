package dev.keepalive.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay against real sockets. Timing claims have strict lower bounds (the path model promises
 * them) and loose upper bounds (this 2-core machine is noisy). After each test every socket the
 * test, its servers and the relay opened is closed.
 */
class RelayIT {
  private static final String LOOPBACK = "127.0.0.1";
  private static final long MS = 1_000_000;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private long socketsBefore;

  @BeforeEach
  void countSockets() {
    socketsBefore = TestPeers.openSockets();
  }

  @AfterEach
  void closeAndCheckNoSocketLeft() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    if (socketsBefore >= 0) {
      assertEquals(socketsBefore, TestPeers.awaitSocketsAtMost(socketsBefore), "sockets left open");
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.push(resource);
    return resource;
  }

  private TestPeers.Server echoServer() throws IOException {
    return track(new TestPeers.Server(true));
  }

  private TestPeers.Server holdingServer() throws IOException {
    return track(new TestPeers.Server(false));
  }

  private Relay relay(RelayOptions.Builder options) {
    return track(options.start());
  }

  private Socket connect(Relay relay) throws IOException {
    Socket s = track(new Socket(LOOPBACK, relay.port()));
    s.setSoTimeout(5_000);
    s.setTcpNoDelay(true);
    return s;
  }

  /** Writes one byte and waits for one byte back; the elapsed nanoseconds. */
  private static long roundTripNanos(Socket s) throws IOException {
    long start = System.nanoTime();
    s.getOutputStream().write('x');
    assertEquals('x', s.getInputStream().read());
    return System.nanoTime() - start;
  }

  private static RelayStats awaitStats(Relay relay, Predicate<RelayStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    RelayStats s = relay.stats();
    while (!condition.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      s = relay.stats();
    }
    return s;
  }

  @Test
  void everyByteArrivesOnceAndInOrderOverTwoHundredConnectionsOnOneThread() throws Exception {
    sendRandomBytesAndCheckTheEcho(200, 1);
  }

  @Test
  void twoLoopsRelayAsExactlyAsOne() throws Exception {
    sendRandomBytesAndCheckTheEcho(60, 2);
  }

  /**
   * Opens {@code connections} connections at once through a relay with jitter (a chunk that
   * overtook another would corrupt the stream), writes a random number of bytes on each in random
   * slices, interleaved across connections, half-closes, and reads the echo back to EOF.
   */
  private void sendRandomBytesAndCheckTheEcho(int connections, int ioThreads) throws Exception {
    TestPeers.Server echo = echoServer();
    Relay relay =
        relay(
            RelayOptions.builder()
                .to(LOOPBACK, echo.port())
                .rttMillis(2)
                .jitterMillis(3)
                .ioThreads(ioThreads));
    SplittableRandom random = new SplittableRandom(20261201L);
    List<Socket> sockets = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < connections; i++) {
      sockets.add(connect(relay));
      byte[] b = new byte[random.nextInt(1, 64 * 1024)];
      random.nextBytes(b);
      sent.add(b);
      total += b.length;
    }
    int[] written = new int[connections];
    for (boolean more = true; more; ) {
      more = false;
      for (int i = 0; i < connections; i++) {
        int left = sent.get(i).length - written[i];
        if (left > 0) {
          int n = Math.min(left, random.nextInt(1, 8 * 1024));
          sockets.get(i).getOutputStream().write(sent.get(i), written[i], n);
          written[i] += n;
          more |= n < left;
        }
      }
    }
    for (Socket s : sockets) {
      s.shutdownOutput();
    }
    for (int i = 0; i < connections; i++) {
      assertArrayEquals(
          sent.get(i), sockets.get(i).getInputStream().readAllBytes(), "connection " + i);
      sockets.get(i).close();
    }
    RelayStats s = awaitStats(relay, x -> x.connectionsOpen() == 0);
    assertEquals(connections, s.connectionsAccepted());
    assertEquals(total, s.bytesToServer());
    assertEquals(total, s.bytesToClient());
    assertEquals(0, s.connectionsOpen());
    assertEquals(List.of(), echo.echoFailures);
  }

  @Test
  void aStreamLargerThanTheWindowArrivesIntact() throws Exception {
    Relay relay =
        relay(
            RelayOptions.builder().to(LOOPBACK, echoServer().port()).rttMillis(2).jitterMillis(1));
    Socket s = connect(relay);
    byte[] sent = new byte[4 * Direction.WINDOW_BYTES];
    new SplittableRandom(7).nextBytes(sent);
    Thread writer =
        new Thread(
            () -> {
              try {
                SplittableRandom slices = new SplittableRandom(8);
                for (int off = 0; off < sent.length; ) {
                  int n = Math.min(sent.length - off, slices.nextInt(1, 256 * 1024));
                  s.getOutputStream().write(sent, off, n);
                  off += n;
                }
                s.shutdownOutput();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    Thread.sleep(300); // nobody reads: both directions fill up to the window and stop reading
    byte[] received = s.getInputStream().readAllBytes();
    writer.join(5_000);
    assertArrayEquals(sent, received);
    assertEquals(sent.length, relay.stats().bytesToClient());
  }

  @Test
  void aFreshConnectionWaitsTwoRoundTripsAndAReusedOneOne() throws Exception {
    long rtt = 50;
    Relay relay = relay(RelayOptions.builder().to(LOOPBACK, echoServer().port()).rttMillis(rtt));
    for (int c = 0; c < 3; c++) {
      long start = System.nanoTime();
      Socket s = connect(relay);
      long connectNanos = System.nanoTime() - start;
      long fresh = roundTripNanos(s) + connectNanos;
      assertTrue(fresh >= 2 * rtt * MS, "fresh: " + fresh / MS + " ms, want >= " + 2 * rtt);
      assertTrue(fresh < (2 * rtt + 500) * MS, "fresh: " + fresh / MS + " ms");
      assertTrue(connectNanos < 200 * MS, "connect is not delayed: " + connectNanos / MS + " ms");
      for (int r = 0; r < 3; r++) {
        long reused = roundTripNanos(s);
        assertTrue(reused >= rtt * MS, "reused: " + reused / MS + " ms, want >= " + rtt);
        assertTrue(reused < (rtt + 300) * MS, "reused: " + reused / MS + " ms");
      }
      s.close();
    }
  }

  @Test
  void jitterOnlyAddsDelay() throws Exception {
    long rtt = 20;
    long jitter = 10;
    Relay relay =
        relay(
            RelayOptions.builder()
                .to(LOOPBACK, echoServer().port())
                .rttMillis(rtt)
                .jitterMillis(jitter));
    Socket s = connect(relay);
    roundTripNanos(s);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 30; i++) {
      long t = roundTripNanos(s);
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    assertTrue(min >= rtt * MS, "min " + min / MS + " ms");
    assertTrue(max < (rtt + 2 * jitter + 300) * MS, "max " + max / MS + " ms");
    assertTrue(max - min >= 2 * MS, "jitter varies the delay: " + (max - min) / 1000 + " µs");
  }

  @Test
  void bandwidthSpacesOutTheBytes() throws Exception {
    Relay relay =
        relay(RelayOptions.builder().to(LOOPBACK, echoServer().port()).bandwidthMbitPerSecond(8));
    Socket s = connect(relay);
    byte[] b = new byte[100_000]; // 100 ms at 8 Mbit/s (1 byte per µs)
    long start = System.nanoTime();
    s.getOutputStream().write(b);
    s.getInputStream().readNBytes(b.length);
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= 100 * MS, "100 kB at 8 Mbit/s in " + elapsed / MS + " ms");
    assertTrue(elapsed < 3_000 * MS, "100 kB at 8 Mbit/s in " + elapsed / MS + " ms");
  }

  /**
   * A client connected through the relay to a server socket the test holds; {@code lastByteNanos}
   * is a time before the relay saw the last byte (the client's 'a').
   */
  private record Pair(Socket client, Socket server, long lastByteNanos) {}

  private Pair pairThrough(Relay relay, TestPeers.Server server) throws Exception {
    Socket c = connect(relay);
    long lastByte = System.nanoTime();
    c.getOutputStream().write('a');
    Socket up = track(server.next());
    up.setSoTimeout(5_000);
    assertEquals('a', up.getInputStream().read());
    return new Pair(c, up, lastByte);
  }

  @Test
  void idleCloseFinClosesBothSidesAfterTheIdleTime() throws Exception {
    TestPeers.Server server = holdingServer();
    Relay relay =
        relay(
            RelayOptions.builder()
                .to(LOOPBACK, server.port())
                .rttMillis(10)
                .idleCloseMillis(200)
                .idleClose(IdleClose.FIN));
    Pair p = pairThrough(relay, server);
    long lastByte = System.nanoTime();
    p.server().getOutputStream().write('b');
    assertEquals('b', p.client().getInputStream().read());
    assertEquals(-1, p.client().getInputStream().read(), "the client sees a FIN");
    long idle = System.nanoTime() - lastByte;
    assertTrue(idle >= 200 * MS && idle < 1_500 * MS, "closed after " + idle / MS + " ms idle");
    assertEquals(-1, p.server().getInputStream().read(), "the server sees a FIN");
    RelayStats s = awaitStats(relay, x -> x.connectionsOpen() == 0);
    assertEquals(new RelayStats.IdleCloses(1, 0, 0), s.idleCloses());
  }

  @Test
  void idleCloseRstResetsBothSides() throws Exception {
    TestPeers.Server server = holdingServer();
    Relay relay =
        relay(
            RelayOptions.builder()
                .to(LOOPBACK, server.port())
                .idleCloseMillis(200)
                .idleClose(IdleClose.RST));
    Pair p = pairThrough(relay, server);
    InputStream in = p.client().getInputStream();
    SocketException e = assertThrows(SocketException.class, in::read);
    long idle = System.nanoTime() - p.lastByteNanos();
    assertTrue(e.getMessage().contains("reset"), e.getMessage());
    assertTrue(idle >= 200 * MS && idle < 1_500 * MS, "reset after " + idle / MS + " ms");
    InputStream upIn = p.server().getInputStream();
    SocketException up = assertThrows(SocketException.class, upIn::read);
    assertTrue(up.getMessage().contains("reset"), up.getMessage());
    assertEquals(1, awaitStats(relay, x -> x.connectionsOpen() == 0).idleCloses().rst());
  }

  @Test
  void silentIdleCloseTellsNoOneAndResetsTheClientsNextBytes() throws Exception {
    TestPeers.Server server = holdingServer();
    long rtt = 20;
    Relay relay =
        relay(
            RelayOptions.builder()
                .to(LOOPBACK, server.port())
                .rttMillis(rtt)
                .idleCloseMillis(200)
                .idleClose(IdleClose.SILENT));
    Pair p = pairThrough(relay, server);
    p.client().setSoTimeout(600);
    InputStream in = p.client().getInputStream();
    assertThrows(SocketTimeoutException.class, in::read, "no FIN, no RST: the client is not told");
    p.server().setSoTimeout(100);
    InputStream upIn = p.server().getInputStream();
    assertThrows(SocketTimeoutException.class, upIn::read, "the server is not told either");
    assertEquals(1, relay.stats().idleCloses().silent());

    p.client().setSoTimeout(5_000);
    long start = System.nanoTime();
    p.client()
        .getOutputStream()
        .write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    SocketException e = assertThrows(SocketException.class, in::read);
    long elapsed = System.nanoTime() - start;
    assertTrue(e.getMessage().contains("reset"), e.getMessage());
    assertTrue(elapsed >= rtt * MS, "the reset comes a round trip later: " + elapsed / MS + " ms");
    p.server().setSoTimeout(300);
    assertThrows(SocketTimeoutException.class, upIn::read, "the bytes never reach the server");
    assertEquals(1, relay.stats().forgottenFlowResets());

    p.server().close(); // the server's own idle close: its FIN goes nowhere, the flow ends
    assertEquals(0, awaitStats(relay, x -> x.connectionsOpen() == 0).connectionsOpen());
  }

  @Test
  void trafficKeepsAFlowOpenPastTheIdleTime() throws Exception {
    Relay relay =
        relay(
            RelayOptions.builder()
                .to(LOOPBACK, echoServer().port())
                .idleCloseMillis(300)
                .idleClose(IdleClose.RST));
    Socket s = connect(relay);
    for (int i = 0; i < 10; i++) {
      roundTripNanos(s);
      Thread.sleep(100);
    }
    assertEquals(new RelayStats.IdleCloses(0, 0, 0), relay.stats().idleCloses());
  }

  @Test
  void aRefusedTargetResetsTheClient() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Relay relay = relay(RelayOptions.builder().to(LOOPBACK, closedPort).rttMillis(10));
    Socket c = connect(relay);
    InputStream in = c.getInputStream();
    SocketException e = assertThrows(SocketException.class, in::read);
    assertTrue(e.getMessage().contains("reset"), e.getMessage());
    RelayStats s = awaitStats(relay, x -> x.connectionsOpen() == 0);
    assertEquals(1, s.upstreamFailures());
    assertEquals(1, s.connectionsAccepted());
  }

  @Test
  void eachListenerForwardsToItsOwnTarget() throws Exception {
    TestPeers.Server a = holdingServer();
    TestPeers.Server b = holdingServer();
    Relay relay = relay(RelayOptions.builder().to(LOOPBACK, a.port()).to(LOOPBACK, b.port()));
    assertEquals(2, relay.uris().size());
    try (Socket toB = new Socket(LOOPBACK, relay.ports().get(1))) {
      toB.getOutputStream().write('b');
      Socket atB = track(b.next());
      assertEquals('b', atB.getInputStream().read());
    }
    assertTrue(a.accepted.isEmpty());
  }

  @Test
  void theControlEndpointServesTheCountersAsJsonAndResetsThem() throws Exception {
    Relay relay = relay(RelayOptions.builder().to(LOOPBACK, echoServer().port()));
    try (Socket s = connect(relay)) {
      roundTripNanos(s);
    }
    RelayStats quiet = awaitStats(relay, x -> x.connectionsOpen() == 0);
    assertEquals(1, quiet.bytesToServer());
    assertEquals(quiet, RelayStats.fromJson(control(relay, "GET", "stats")));
    assertEquals("", control(relay, "POST", "stats/reset"));
    RelayStats reset = RelayStats.fromJson(control(relay, "GET", "stats"));
    assertEquals(0, reset.connectionsAccepted());
    assertEquals(0, reset.bytesToServer());
  }

  private static String control(Relay relay, String method, String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) relay.statsUri().resolve("/" + path).toURL().openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(5_000);
    c.setReadTimeout(5_000);
    try (InputStream in = c.getInputStream()) {
      assertEquals(method.equals("GET") ? 200 : 204, c.getResponseCode());
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void closingTheRelayEndsEveryFlow() throws Exception {
    Relay relay = RelayOptions.builder().to(LOOPBACK, echoServer().port()).rttMillis(5).start();
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        Socket s = connect(relay);
        roundTripNanos(s);
        clients.add(s);
      }
    } finally {
      relay.close();
    }
    for (Socket s : clients) {
      assertEquals(-1, s.getInputStream().read());
    }
  }
}
