package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every assertion here is made from the server's side: ports it saw, connections it counted. */
class HarnessServerIT {

  private HarnessServer server;

  private HarnessServer start(ServerOptions.Builder b) {
    server = b.start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Close listeners run on the IO thread after the client sees EOF: wait for the counters. */
  private ServerStats awaitStats(Predicate<ServerStats> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    ServerStats s = server.stats();
    while (!condition.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      s = server.stats();
    }
    return s;
  }

  @Test
  void twoRequestsOnOneSocketAreOneConnection() throws Exception {
    start(ServerOptions.builder());
    try (RawConnection c = new RawConnection(server.port())) {
      RawConnection.Response first = c.get("/");
      RawConnection.Response second = c.get("/");
      assertEquals(200, first.status());
      assertEquals("Hello, World!", first.text());
      assertEquals(c.localPort(), first.clientPort());
      assertEquals(first.clientPort(), second.clientPort());
      assertEquals(1, first.connectionRequests());
      assertEquals(2, second.connectionRequests());
    }
    ServerStats s = awaitStats(x -> x.total().connectionsClosed() == 1);
    assertEquals(1, s.connectionsAccepted());
    assertEquals(2, s.requests());
    assertEquals(Map.of(2L, 1L), s.total().requestsPerClosedConnection());
  }

  @Test
  void connectionCloseRequestsOpenOneConnectionEach() throws Exception {
    start(ServerOptions.builder());
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (RawConnection c = new RawConnection(server.port())) {
        RawConnection.Response r = c.get("/", "Connection: close");
        assertEquals("close", r.header("Connection"));
        assertEquals(1, r.connectionRequests());
        assertTrue(c.eofWithin(2000), "server closes after a Connection: close request");
        ports.add(r.clientPort());
      }
    }
    assertEquals(3, ports.stream().distinct().count());
    ServerStats s = awaitStats(x -> x.total().connectionsClosed() == 3);
    assertEquals(3, s.connectionsAccepted());
    assertEquals(3, s.total().connectionsClosed());
    assertEquals(0, s.total().connectionsOpen());
  }

  @Test
  void idleTimeoutClosesAnIdleConnectionAndIsCounted() throws Exception {
    start(ServerOptions.builder().idleTimeoutMillis(300));
    try (RawConnection c = new RawConnection(server.port())) {
      c.get("/");
      long start = System.nanoTime();
      assertTrue(c.eofWithin(3000), "idle connection closed by the server");
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(
          elapsedMillis >= 250 && elapsedMillis < 1500, "closed after " + elapsedMillis + " ms");
    }
    ServerStats s = awaitStats(x -> x.total().connectionsClosed() == 1);
    assertEquals(1, s.total().connectionsClosed());
    assertEquals(Map.of(1L, 1L), s.total().requestsPerClosedConnection());
  }

  @Test
  void idleTimeoutZeroNeverCloses() throws Exception {
    start(ServerOptions.builder().idleTimeoutMillis(0));
    try (RawConnection c = new RawConnection(server.port())) {
      c.get("/");
      assertTrue(!c.eofWithin(700), "connection stays open");
      assertEquals(2, c.get("/").connectionRequests());
    }
  }

  @Test
  void maxRequestsPerConnectionClosesAfterN() throws Exception {
    start(ServerOptions.builder().maxRequestsPerConnection(3));
    try (RawConnection c = new RawConnection(server.port())) {
      assertNotEquals("close", c.get("/").header("Connection"));
      assertNotEquals("close", c.get("/").header("Connection"));
      RawConnection.Response third = c.get("/");
      assertEquals(3, third.connectionRequests());
      assertEquals("close", third.header("Connection"));
      assertTrue(c.eofWithin(2000));
    }
    ServerStats s = awaitStats(x -> x.total().connectionsClosed() == 1);
    assertEquals(1, s.connectionsAccepted());
    assertEquals(Map.of(3L, 1L), s.total().requestsPerClosedConnection());
  }

  @Test
  void dropClosesWithoutAnyByte() throws Exception {
    start(ServerOptions.builder());
    try (RawConnection c = new RawConnection(server.port())) {
      c.send("GET", "/drop");
      assertEquals(0, c.readToEof().length);
    }
    assertEquals(
        1, awaitStats(x -> x.total().connectionsClosed() == 1).total().connectionsClosed());
  }

  @Test
  void abortSendsAboutHalfTheDeclaredBodyThenCloses() throws Exception {
    start(ServerOptions.builder());
    try (RawConnection c = new RawConnection(server.port())) {
      c.send("GET", "/abort/1000");
      String all = new String(c.readToEof(), StandardCharsets.US_ASCII);
      int split = all.indexOf("\r\n\r\n");
      assertTrue(all.startsWith("HTTP/1.1 200"), all);
      assertTrue(all.substring(0, split).toLowerCase().contains("content-length: 1000"), all);
      assertEquals(500, all.length() - split - 4);
    }
  }

  @Test
  void bodiesHaveTheAnnouncedLengthAndPattern() throws Exception {
    start(ServerOptions.builder());
    try (RawConnection c = new RawConnection(server.port())) {
      for (int n : new int[] {0, 1, 26, 65_536, 200_001}) {
        byte[] expected = new byte[n];
        for (int i = 0; i < n; i++) {
          expected[i] = Routes.patternByte(i);
        }
        RawConnection.Response fixed = c.get("/bytes/" + n);
        assertEquals(String.valueOf(n), fixed.header("Content-Length"));
        assertArrayEquals(expected, fixed.body());
        RawConnection.Response chunked = c.get("/chunked/" + n);
        if (n == 0) {
          // Undertow sends an empty chunked body as Content-Length: 0
          assertEquals("0", chunked.header("Content-Length"));
        } else {
          assertEquals("chunked", chunked.header("Transfer-Encoding"));
          assertNull(chunked.header("Content-Length"));
        }
        assertArrayEquals(expected, chunked.body());
      }
    }
  }

  @Test
  void badPathsAndNumbersAreRejectedWithAReason() throws Exception {
    start(ServerOptions.builder());
    try (RawConnection c = new RawConnection(server.port())) {
      assertEquals(404, c.get("/nope").status());
      RawConnection.Response notNumber = c.get("/bytes/12x");
      assertEquals(400, notNumber.status());
      assertTrue(notNumber.text().contains("'12x'"), notNumber.text());
      RawConnection.Response tooBig = c.get("/bytes/" + (HarnessServer.MAX_BODY_BYTES + 1));
      assertEquals(400, tooBig.status());
      assertTrue(tooBig.text().contains("67108865"), tooBig.text());
      assertEquals(405, c.get("/echo").status());
      assertEquals(5, c.get("/").connectionRequests(), "errors keep the connection");
    }
  }

  @Test
  void echoReturnsTheBody() throws Exception {
    start(ServerOptions.builder());
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    byte[] body = new byte[100_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    HttpResponse<byte[]> r =
        client.send(
            HttpRequest.newBuilder(server.uri().resolve("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertArrayEquals(body, r.body());
  }

  @Test
  void delayDoesNotBlockOtherConnections() throws Exception {
    start(ServerOptions.builder().ioThreads(1).workerThreads(1));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> delayed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      delayed.add(
          client.sendAsync(
              HttpRequest.newBuilder(server.uri().resolve("/delay/200")).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    try (RawConnection c = new RawConnection(server.port())) {
      long fastStart = System.nanoTime();
      assertEquals(200, c.get("/").status());
      long fastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fastStart);
      assertTrue(fastMillis < 150, "plain request waited " + fastMillis + " ms behind /delay");
    }
    for (CompletableFuture<HttpResponse<String>> f : delayed) {
      assertEquals("Hello, World!", f.get(5, TimeUnit.SECONDS).body());
    }
    long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(
        totalMillis >= 200 && totalMillis < 1000, "10 × /delay/200 took " + totalMillis + " ms");
    assertEquals(11, server.stats().requests());
  }

  @Test
  void closeRouteAnswersThenCloses() throws Exception {
    start(ServerOptions.builder().keepAliveHintSeconds(7));
    try (RawConnection c = new RawConnection(server.port())) {
      RawConnection.Response kept = c.get("/");
      assertEquals("timeout=7", kept.header("Keep-Alive"));
      RawConnection.Response closing = c.get("/close");
      assertEquals("close", closing.header("Connection"));
      assertNull(closing.header("Keep-Alive"), "no hint on a closing response");
      assertEquals("Hello, World!", closing.text());
      assertTrue(c.eofWithin(2000));
    }
  }

  @Test
  void statsResetStartsANewPeriod() throws Exception {
    start(ServerOptions.builder());
    try (RawConnection c = new RawConnection(server.port())) {
      c.get("/", "Connection: close");
    }
    awaitStats(x -> x.total().connectionsClosed() == 1);
    try (RawConnection control = new RawConnection(server.port())) {
      control.send("POST", "/stats/reset", "Content-Length: 0");
      assertEquals(204, control.read().status());
      RawConnection.Response stats = control.get("/stats");
      assertTrue(stats.text().contains("\"connectionsAccepted\":0"), stats.text());
      assertNull(stats.header("X-Client-Port"), "control routes are not counted");
    }
    ServerStats s = server.stats();
    assertEquals(0, s.connectionsAccepted());
    assertEquals(0, s.requests());
    assertEquals(0, s.total().connectionsClosed());
  }

  @Test
  void twoListenersCountSeparately() throws Exception {
    start(ServerOptions.builder().listeners(2));
    List<Integer> ports = server.ports();
    assertEquals(2, ports.size());
    assertNotEquals(ports.get(0), ports.get(1));
    try (RawConnection a = new RawConnection(ports.get(0));
        RawConnection b1 = new RawConnection(ports.get(1));
        RawConnection b2 = new RawConnection(ports.get(1))) {
      a.get("/");
      a.get("/");
      b1.get("/");
      b2.get("/");
      ServerStats s = server.stats();
      assertEquals(1, s.listeners().get(0).connectionsAccepted());
      assertEquals(2, s.listeners().get(0).requests());
      assertEquals(2, s.listeners().get(1).connectionsAccepted());
      assertEquals(2, s.listeners().get(1).maxConnectionsOpen());
      assertEquals(3, s.connectionsAccepted());
      assertEquals(ports.get(1).intValue(), s.listeners().get(1).port());
    }
  }

  @Test
  void portInUseIsOneClearLineAndExitOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      ServerStartException e =
          assertThrows(
              ServerStartException.class,
              () -> ServerOptions.builder().port(taken.getLocalPort()).start());
      assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());

      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          Main.run(
              new String[] {"--port", String.valueOf(taken.getLocalPort())},
              new PrintStream(new ByteArrayOutputStream()),
              new PrintStream(err));
      assertEquals(1, code);
      String text = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, text.lines().count(), text);
      assertTrue(text.contains("cannot bind"), text);
    }
  }

  @Test
  void headersRouteShowsWhatTheServerReceived() throws Exception {
    start(ServerOptions.builder());
    try (RawConnection c = new RawConnection(server.port())) {
      String text = c.get("/headers", "X-Probe: 42", "Connection: keep-alive").text();
      assertTrue(text.contains("X-Probe: 42\n"), text);
      assertTrue(text.contains("Connection: keep-alive\n"), text);
    }
  }

  @Test
  void uriPointsAtTheBoundPort() {
    start(ServerOptions.builder());
    assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.uri());
  }
}
