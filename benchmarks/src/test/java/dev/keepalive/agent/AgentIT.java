package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import dev.keepalive.server.ServerStats;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics checklist (docs/node-agent-semantics.md §12), each item proven from the server's
 * side: the client ports it saw ({@code X-Client-Port}) and the connections it counted.
 */
class AgentIT {

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private long socketsBefore;

  @org.junit.jupiter.api.BeforeEach
  void countSockets() {
    socketsBefore = SocketFds.count();
  }

  /** Closes servers and agents, then checks that no socket file descriptor was left open. */
  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(closeables);
    for (AutoCloseable c : closeables) {
      c.close();
      if (c instanceof Agent a) {
        assertEquals(0, a.stats().openSockets(), "a closed agent holds no socket");
      }
    }
    if (socketsBefore >= 0) {
      long after = SocketFds.awaitAtMost(socketsBefore);
      assertTrue(
          after <= socketsBefore,
          "socket fds: " + socketsBefore + " before the test, " + after + " after");
    }
  }

  private HarnessServer server(ServerOptions.Builder b) {
    HarnessServer s = b.start();
    closeables.add(s);
    return s;
  }

  private Agent agent(AgentOptions.Builder b) {
    Agent a = Agent.create(b.build());
    closeables.add(a);
    return a;
  }

  private static AgentOptions.Builder keepAlive() {
    return AgentOptions.builder().keepAlive(true);
  }

  private static int serverPort(Response r) {
    return Integer.parseInt(r.header("X-Client-Port"));
  }

  private static Request get(URI base, String path) {
    return Request.builder(base.resolve(path)).build();
  }

  private static List<Response> all(List<CompletableFuture<Response>> futures) throws Exception {
    List<Response> out = new ArrayList<>();
    for (CompletableFuture<Response> f : futures) {
      out.add(f.get(10, TimeUnit.SECONDS));
    }
    return out;
  }

  /**
   * Polls {@code read} until {@code p} holds (at most 5 s): counters move after the client sees
   * EOF.
   */
  private static <T> T await(java.util.function.Supplier<T> read, Predicate<T> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    T value = read.get();
    while (!p.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      value = read.get();
    }
    return value;
  }

  private static ServerStats awaitServer(HarnessServer s, Predicate<ServerStats> p)
      throws InterruptedException {
    return await(s::stats, p);
  }

  private static AgentStats awaitAgent(Agent a, Predicate<AgentStats> p)
      throws InterruptedException {
    return await(a::stats, p);
  }

  @Test
  void serialKeepAliveRequestsShareOneConnection() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive());
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      Response r = a.send(get(s.uri(), "/"));
      assertEquals(200, r.status());
      assertEquals("Hello, World!", new String(r.body()));
      assertEquals(r.localPort(), serverPort(r), "the server saw the client's own port");
      assertEquals(i + 1, Integer.parseInt(r.header("X-Connection-Requests")));
      assertEquals(i > 0, r.reusedSocket());
      ports.add(serverPort(r));
    }
    assertEquals(1, ports.size());
    assertEquals(1, s.stats().connectionsAccepted());
    AgentStats st = a.stats();
    assertEquals(1, st.createSocketCount());
    assertEquals(9, st.reusedRequestCount());
    assertEquals(10, st.requestCount());
    assertEquals(1, st.origins().get("127.0.0.1:" + s.port() + ":").freeSockets());
  }

  @Test
  void noAgentOpensOneConnectionPerRequestAndSendsConnectionClose() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = Agent.none();
    closeables.add(a);
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      Response r = a.send(get(s.uri(), "/headers"));
      assertTrue(new String(r.body()).contains("Connection: close\n"), new String(r.body()));
      assertFalse(r.reusedSocket());
      ports.add(serverPort(r));
    }
    assertEquals(5, ports.size());
    ServerStats st = awaitServer(s, x -> x.total().connectionsClosed() == 5);
    assertEquals(5, st.connectionsAccepted());
    assertEquals(java.util.Map.of(1L, 5L), st.total().requestsPerClosedConnection());
    assertEquals(0, awaitAgent(a, x -> x.openSockets() == 0).openSockets());
  }

  @Test
  void keepAliveAgentSendsConnectionKeepAlive() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive());
    assertTrue(
        new String(a.send(get(s.uri(), "/headers")).body()).contains("Connection: keep-alive\n"));
  }

  @Test
  void burstOfTenWithMaxSocketsTwoUsesTwoConnections() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive().maxSockets(2));
    List<CompletableFuture<Response>> fs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fs.add(a.request(get(s.uri(), "/delay/5")));
    }
    List<Response> rs = all(fs);
    Set<Integer> ports = new HashSet<>();
    rs.forEach(r -> ports.add(serverPort(r)));
    assertEquals(2, ports.size());
    assertEquals(2, s.stats().connectionsAccepted());
    assertEquals(2, s.stats().total().maxConnectionsOpen());
    assertEquals(
        0, rs.stream().filter(Response::reusedSocket).count(), "queue hand-offs are not reuses");
    assertEquals(
        2,
        awaitAgent(a, x -> x.origins().values().stream().mapToInt(o -> o.freeSockets()).sum() == 2)
            .origins()
            .values()
            .iterator()
            .next()
            .freeSockets());
  }

  @Test
  void maxFreeSocketsOneKeepsOneSocketAfterABurstOfFive() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive().maxFreeSockets(1));
    List<CompletableFuture<Response>> fs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      fs.add(a.request(get(s.uri(), "/delay/20")));
    }
    Set<Integer> burstPorts = new HashSet<>();
    all(fs).forEach(r -> burstPorts.add(serverPort(r)));
    assertEquals(5, burstPorts.size());
    ServerStats st = awaitServer(s, x -> x.total().connectionsClosed() == 4);
    assertEquals(4, st.total().connectionsClosed(), "four sockets closed by the agent");
    assertEquals(1, a.stats().openSockets());
    Response next = a.send(get(s.uri(), "/"));
    assertTrue(next.reusedSocket());
    assertTrue(burstPorts.contains(serverPort(next)));
    assertEquals(5, s.stats().connectionsAccepted());
  }

  /** Node's test-http-agent-scheduling.js: 5 parallel, then 3 sequential requests. */
  private List<Integer> schedulingScenario(Scheduling scheduling, List<Integer> completionOrder)
      throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive().maxSockets(5).scheduling(scheduling));
    List<CompletableFuture<Response>> fs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // staggered delays make the completion (= free) order deterministic
      CompletableFuture<Response> f = a.request(get(s.uri(), "/delay/" + (10 + 15 * i)));
      f.thenAccept(r -> completionOrder.add(serverPort(r)));
      fs.add(f);
    }
    all(fs);
    awaitAgent(a, x -> x.origins().values().stream().mapToInt(o -> o.freeSockets()).sum() == 5);
    List<Integer> sequential = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Response r = a.send(get(s.uri(), "/"));
      assertTrue(r.reusedSocket());
      sequential.add(serverPort(r));
    }
    assertEquals(5, s.stats().connectionsAccepted());
    return sequential;
  }

  @Test
  void lifoReusesTheMostRecentlyFreedSocket() throws Exception {
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<Integer> sequential = schedulingScenario(Scheduling.LIFO, order);
    int last = order.get(4);
    assertEquals(List.of(last, last, last), sequential);
  }

  @Test
  void fifoReusesTheLeastRecentlyFreedSockets() throws Exception {
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<Integer> sequential = schedulingScenario(Scheduling.FIFO, order);
    assertEquals(order.subList(0, 3), sequential);
  }

  /** Node's test-http-agent-maxtotalsockets.js, on two listeners (two origins). */
  @Test
  void maxTotalSocketsBoundsSocketsAcrossOrigins() throws Exception {
    HarnessServer s = server(ServerOptions.builder().listeners(2));
    Agent a = agent(keepAlive().maxSockets(3).maxTotalSockets(2).maxFreeSockets(3));
    List<CompletableFuture<Response>> fs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      for (URI origin : s.uris()) {
        fs.add(a.request(get(origin, "/delay/5")));
      }
    }
    List<Response> rs = all(fs);
    assertEquals(12, rs.size());
    ServerStats st = s.stats();
    long maxOpen =
        st.listeners().get(0).maxConnectionsOpen() + st.listeners().get(1).maxConnectionsOpen();
    assertTrue(
        maxOpen <= 3,
        "at most maxTotalSockets + Node's transient overshoot of one, was " + maxOpen);
    assertTrue(st.listeners().get(1).connectionsAccepted() >= 1, "the second origin was served");
    assertEquals(
        a.stats().createSocketCount(), st.connectionsAccepted(), "server and client agree");
    AgentStats end = awaitAgent(a, x -> x.openSockets() <= 2);
    assertTrue(end.openSockets() <= 2, "the overshoot socket is closed, not pooled: " + end);
    assertEquals(0, end.queuedRequests());
  }

  @Test
  void idleSocketsCountTowardMaxTotalSocketsUntilTheyClose() throws Exception {
    HarnessServer s = server(ServerOptions.builder().listeners(2));
    Agent a = agent(keepAlive().maxTotalSockets(2).timeoutMillis(300));
    URI first = s.uris().get(0);
    all(List.of(a.request(get(first, "/delay/5")), a.request(get(first, "/delay/5"))));
    awaitAgent(a, x -> x.origins().values().stream().mapToInt(o -> o.freeSockets()).sum() == 2);
    long start = System.nanoTime();
    Response other = a.send(get(s.uris().get(1), "/"));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(200, other.status());
    assertTrue(
        waitedMillis >= 250,
        "the request to the second origin waited for an idle socket to close: " + waitedMillis);
    assertTrue(a.stats().timeoutSocketCount() >= 1, "closed by the agent timeout");
  }

  @Test
  void serverIdleCloseIsRemovedSilentlyAndTheNextRequestConnectsAnew() throws Exception {
    HarnessServer s = server(ServerOptions.builder().idleTimeoutMillis(150));
    Agent a = agent(keepAlive());
    Response first = a.send(get(s.uri(), "/"));
    AgentStats st = awaitAgent(a, x -> x.closeSocketCount() == 1);
    assertEquals(1, st.closeSocketCount(), "the server's FIN removed the pooled socket");
    assertEquals(0, st.errorSocketCount());
    Response second = a.send(get(s.uri(), "/"));
    assertFalse(second.reusedSocket());
    assertNotEquals(serverPort(first), serverPort(second));
    assertEquals(2, s.stats().connectionsAccepted());
  }

  @Test
  void keepAliveHintOfOneSecondMeansNoReuse() throws Exception {
    HarnessServer s = server(ServerOptions.builder().keepAliveHintSeconds(1));
    Agent a = agent(keepAlive().timeoutMillis(10_000));
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      Response r = a.send(get(s.uri(), "/"));
      assertEquals("timeout=1", r.header("Keep-Alive"));
      ports.add(serverPort(r));
    }
    assertEquals(3, ports.size());
    assertEquals(3, s.stats().connectionsAccepted());
  }

  @Test
  void keepAliveHintShortensTheAgentTimeout() throws Exception {
    HarnessServer s = server(ServerOptions.builder().keepAliveHintSeconds(2).idleTimeoutMillis(0));
    Agent a = agent(keepAlive().timeoutMillis(10_000));
    a.send(get(s.uri(), "/"));
    long start = System.nanoTime();
    AgentStats st = awaitAgent(a, x -> x.timeoutSocketCount() == 1);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(1, st.timeoutSocketCount(), "free socket expired after 2*1000-1000 ms");
    assertTrue(millis >= 800 && millis < 3000, "expired after " + millis + " ms");
    assertEquals(
        1, awaitServer(s, x -> x.total().connectionsClosed() == 1).total().connectionsClosed());
  }

  @Test
  void agentTimeoutClosesFreeSockets() throws Exception {
    HarnessServer s = server(ServerOptions.builder().idleTimeoutMillis(0));
    Agent a = agent(keepAlive().timeoutMillis(150));
    Response first = a.send(get(s.uri(), "/"));
    assertEquals(1, awaitAgent(a, x -> x.timeoutSocketCount() == 1).timeoutSocketCount());
    Response second = a.send(get(s.uri(), "/"));
    assertNotEquals(serverPort(first), serverPort(second));
    assertFalse(second.reusedSocket());
  }

  /** Node's test-http-keep-alive.js: Agent({maxSockets: 1}) without keepAlive. */
  @Test
  void boundedAgentWithoutKeepAliveHandsItsSocketToQueuedRequestsThenCloses() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(AgentOptions.builder().maxSockets(1));
    List<Response> rs =
        all(
            a.requestAll(
                List.of(
                    get(s.uri(), "/headers"), get(s.uri(), "/headers"), get(s.uri(), "/headers"))));
    Set<Integer> ports = new HashSet<>();
    for (Response r : rs) {
      ports.add(serverPort(r));
      assertTrue(new String(r.body()).contains("Connection: keep-alive\n"));
      assertFalse(r.reusedSocket());
    }
    assertEquals(1, ports.size(), () -> rs + " " + a.stats() + " " + s.stats());
    assertEquals(0, awaitAgent(a, x -> x.openSockets() == 0).openSockets(), "no socket remains");
    assertEquals(
        java.util.Map.of(3L, 1L),
        awaitServer(s, x -> x.total().connectionsClosed() == 1)
            .total()
            .requestsPerClosedConnection());
  }

  /** Node's test-http-keep-alive-close-on-header.js: each queued request gets a new socket. */
  @Test
  void connectionCloseResponsesGiveEachQueuedRequestANewSocket() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(AgentOptions.builder().maxSockets(1));
    List<CompletableFuture<Response>> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fs.add(a.request(get(s.uri(), "/close")));
    }
    Set<Integer> ports = new HashSet<>();
    for (Response r : all(fs)) {
      assertEquals("1", r.header("X-Connection-Requests"), "one request per connection");
      ports.add(serverPort(r));
    }
    assertEquals(3, ports.size());
    assertEquals(3, s.stats().connectionsAccepted());
  }

  @Test
  void timingsFollowTheRequestLibrary() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive());
    Timings fresh = a.send(get(s.uri(), "/")).timings();
    assertTrue(fresh.socket() >= 0);
    assertTrue(fresh.socket() <= fresh.lookup(), fresh.toString());
    assertTrue(fresh.lookup() <= fresh.connect(), fresh.toString());
    assertTrue(fresh.connect() <= fresh.response(), fresh.toString());
    assertTrue(fresh.response() <= fresh.end(), fresh.toString());
    Response reused = a.send(get(s.uri(), "/"));
    assertTrue(reused.reusedSocket());
    Timings t = reused.timings();
    assertEquals(t.socket(), t.lookup(), "keepAlive is timed: lookup == socket on a reused socket");
    assertEquals(t.lookup(), t.connect(), "connect == lookup on a reused socket");
    assertTrue(t.connect() <= t.response() && t.response() <= t.end(), t.toString());
  }

  @Test
  void queuedRequestThatTimesOutIsNeverSent() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive().maxSockets(1));
    CompletableFuture<Response> slow = a.request(get(s.uri(), "/delay/400"));
    CompletableFuture<Response> queued =
        a.request(Request.builder(s.uri().resolve("/")).timeoutMillis(100).build());
    AgentException e = failure(queued);
    assertEquals(ErrorClass.TIMEOUT, e.errorClass());
    assertTrue(e.getMessage().contains("waiting for a socket"), e.getMessage());
    slow.get(5, TimeUnit.SECONDS);
    Thread.sleep(50);
    assertEquals(1, s.stats().requests(), "the timed-out request never reached the server");
    assertEquals(0, a.stats().queuedRequests());
  }

  @Test
  void activeRequestThatTimesOutClosesItsConnection() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive());
    AgentException e =
        failure(
            a.request(Request.builder(s.uri().resolve("/delay/2000")).timeoutMillis(100).build()));
    assertEquals(ErrorClass.TIMEOUT, e.errorClass());
    assertEquals(0, awaitAgent(a, x -> x.openSockets() == 0).openSockets(), "never pooled");
    assertEquals(
        1, awaitServer(s, x -> x.total().connectionsClosed() == 1).total().connectionsClosed());
  }

  @Test
  void serverFailuresAreClassified() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive());
    AgentException drop = failure(a.request(get(s.uri(), "/drop")));
    assertEquals(ErrorClass.CLOSED_EARLY, drop.errorClass());
    assertEquals("socket hang up", drop.getMessage());
    AgentException abort = failure(a.request(get(s.uri(), "/abort/1000")));
    assertEquals(ErrorClass.CLOSED_EARLY, abort.errorClass());
    int closedPort;
    try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
      closedPort = ss.getLocalPort();
    }
    AgentException refused =
        failure(a.request(Request.get("http://127.0.0.1:" + closedPort + "/")));
    assertEquals(ErrorClass.REFUSED, refused.errorClass());
    AgentStats st = awaitAgent(a, x -> x.openSockets() == 0);
    assertEquals(0, st.openSockets());
    assertEquals(1, st.createSocketErrorCount());
    assertEquals(0, st.requestCount());
  }

  @Test
  void bodiesAreDecodedAndDigested() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive());
    Response fixed = a.send(get(s.uri(), "/bytes/100000"));
    Response chunked = a.send(get(s.uri(), "/chunked/100000"));
    assertEquals(100_000, fixed.bodyLength());
    assertEquals(fixed.bodySha256(), chunked.bodySha256());
    Response digest =
        a.send(
            Request.builder(s.uri().resolve("/chunked/100000")).bodyMode(BodyMode.DIGEST).build());
    assertEquals(null, digest.body());
    assertEquals(fixed.bodySha256(), digest.bodySha256());
    byte[] payload = "ping-pong".getBytes();
    Response echo =
        a.send(Request.builder(s.uri().resolve("/echo")).method("POST").body(payload).build());
    assertEquals("ping-pong", new String(echo.body()));
    Response head = a.send(Request.builder(s.uri().resolve("/bytes/50")).method("HEAD").build());
    assertEquals(0, head.bodyLength());
    assertEquals("50", head.header("Content-Length"));
    assertEquals(1, s.stats().connectionsAccepted(), "all of it on one connection");
  }

  @Test
  void tenThousandOutstandingRequestsCompleteOnFiftySocketsAndOneThread() throws Exception {
    HarnessServer s = server(ServerOptions.builder().ioThreads(2));
    int threadsBefore = Thread.activeCount();
    Agent a = agent(keepAlive().maxSockets(50));
    List<CompletableFuture<Response>> fs = new ArrayList<>(10_000);
    Request r = Request.builder(s.uri()).bodyMode(BodyMode.COUNT).build();
    for (int i = 0; i < 10_000; i++) {
      fs.add(a.request(r));
    }
    assertTrue(Thread.activeCount() <= threadsBefore + 1, "one loop thread for the agent");
    long ok = 0;
    for (CompletableFuture<Response> f : fs) {
      ok += f.get(60, TimeUnit.SECONDS).status() == 200 ? 1 : 0;
    }
    assertEquals(10_000, ok);
    assertEquals(50, s.stats().connectionsAccepted());
    assertEquals(10_000, s.stats().requests());
  }

  @Test
  void closeFailsPendingRequestsAndClosesEverySocket() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = Agent.create(keepAlive().maxSockets(1).build());
    CompletableFuture<Response> active = a.request(get(s.uri(), "/delay/2000"));
    CompletableFuture<Response> queued = a.request(get(s.uri(), "/"));
    Thread.sleep(100);
    a.close();
    assertEquals(ErrorClass.CLOSED_EARLY, failure(active).errorClass());
    assertEquals(ErrorClass.CONFIG, failure(queued).errorClass());
    assertEquals(0, a.stats().openSockets());
    assertEquals(
        1, awaitServer(s, x -> x.total().connectionsClosed() == 1).total().connectionsClosed());
    assertEquals(ErrorClass.CONFIG, failure(a.request(get(s.uri(), "/"))).errorClass());
  }

  @Test
  void drivenAgentRunsOnTheCallersThread() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    try (Agent a = Agent.createDriven(keepAlive().build())) {
      Response first = a.await(a.request(get(s.uri(), "/")));
      Response second = a.await(a.request(get(s.uri(), "/")));
      assertTrue(second.reusedSocket());
      assertEquals(serverPort(first), serverPort(second));
    }
    assertEquals(1, s.stats().connectionsAccepted());
  }

  @Test
  void aReusedSocketThatTheServerClosesFailsWithReusedSocketTrue() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(keepAlive());
    a.send(get(s.uri(), "/"));
    AgentException e = failure(a.request(get(s.uri(), "/drop")));
    assertEquals(ErrorClass.CLOSED_EARLY, e.errorClass());
    assertEquals("socket hang up", e.getMessage());
    assertTrue(e.reusedSocket(), "Node's hint to retry: the socket came from the pool");
    assertEquals(1, s.stats().connectionsAccepted());
    assertEquals(0, awaitAgent(a, x -> x.openSockets() == 0).openSockets());
  }

  @Test
  void requestAllQueuesTheWholeBurstBeforeAnyResponse() throws Exception {
    HarnessServer s = server(ServerOptions.builder());
    Agent a = agent(AgentOptions.builder().maxSockets(1));
    for (int round = 0; round < 20; round++) {
      List<Response> rs =
          all(a.requestAll(List.of(get(s.uri(), "/"), get(s.uri(), "/"), get(s.uri(), "/"))));
      assertEquals(
          1, rs.stream().map(AgentIT::serverPort).distinct().count(), "round " + round + ": " + rs);
      awaitAgent(a, x -> x.openSockets() == 0);
    }
    assertEquals(
        20,
        s.stats().connectionsAccepted(),
        "one connection per burst, closed after its queue drained");
  }

  @Test
  void bytesOnAnIdlePooledSocketCloseItAndItIsNeverReused() throws Exception {
    RawServer.Script unsolicited =
        (sock, in) -> {
          RawServer.readHead(in);
          RawServer.write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
          Thread.sleep(100);
          RawServer.write(sock, "unsolicited"); // nobody asked
          Thread.sleep(1000);
        };
    try (RawServer raw = new RawServer(unsolicited, RawServer.SERVE)) {
      Agent a = agent(keepAlive());
      Response first = a.send(Request.builder(raw.uri("/")).build());
      AgentStats st = awaitAgent(a, x -> x.closeSocketCount() == 1);
      assertEquals(1, st.closeSocketCount(), "the pooled socket was closed");
      assertEquals(1, st.errorSocketCount());
      Response second = a.send(Request.builder(raw.uri("/")).build());
      assertFalse(second.reusedSocket());
      assertNotEquals(first.localPort(), second.localPort());
      assertEquals(2, raw.accepted.get(), "the server accepted a second connection");
      a.close();
    }
  }

  static AgentException failure(CompletableFuture<Response> f) throws Exception {
    try {
      Response r = f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + r);
    } catch (ExecutionException e) {
      return (AgentException) e.getCause();
    }
  }
}
