package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import dev.keepalive.server.ServerStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent over TLS, as Node's {@code https.Agent}, proven from the server's side: the client
 * ports it saw, the connections it counted and the full handshakes it made (the server chooses its
 * certificate only in a full handshake); the client's own count of resumed handshakes agrees.
 */
class TlsIT {

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private long socketsBefore;

  @BeforeEach
  void countSockets() {
    socketsBefore = SocketFds.count();
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(closeables);
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (socketsBefore >= 0) {
      long after = SocketFds.awaitAtMost(socketsBefore);
      assertTrue(
          after <= socketsBefore, "sockets: " + socketsBefore + " before, " + after + " after");
    }
  }

  private HarnessServer tlsServer() {
    HarnessServer s = ServerOptions.builder().tls(true).start();
    closeables.add(s);
    return s;
  }

  private Agent agent(HarnessServer s, AgentOptions.Builder options, TlsOptions.Builder tls) {
    Agent a = Agent.create(options.tls(tls.ca(List.of(s.certificate())).build()).build());
    closeables.add(a);
    return a;
  }

  private static String get(Agent a, String url) throws Exception {
    Response r = a.send(Request.get(url));
    assertEquals(200, r.status());
    return r.header("X-Client-Port");
  }

  @Test
  void serialKeepAliveRequestsOverTlsShareOneConnectionAndOneHandshake() throws Exception {
    HarnessServer s = tlsServer();
    Agent a = agent(s, AgentOptions.builder().keepAlive(true), TlsOptions.builder());
    Set<String> ports = new HashSet<>();
    Response first = a.send(Request.get(s.uri().toString()));
    assertEquals(200, first.status());
    ports.add(first.header("X-Client-Port"));
    Timings t = first.timings();
    assertTrue(t.connect() <= t.secureConnect() && t.secureConnect() <= t.response(), t.toString());
    assertTrue(t.handshakeNanos() > 0, t.toString());
    for (int i = 0; i < 4; i++) {
      Response r = a.send(Request.get(s.uri().toString()));
      assertTrue(r.reusedSocket());
      ports.add(r.header("X-Client-Port"));
      Timings rt = r.timings();
      assertEquals(rt.socket(), rt.lookup());
      assertEquals(rt.lookup(), rt.connect());
      assertEquals(rt.connect(), rt.secureConnect(), "secureConnect == connect when reused");
    }
    assertEquals(1, ports.size(), "the server saw one client port");
    ServerStats st = s.stats();
    assertEquals(1, st.connectionsAccepted());
    assertEquals(1L, st.tlsFullHandshakes());
    assertEquals(1, a.stats().tlsHandshakeCount());
    assertEquals(0, a.stats().tlsResumedCount());
  }

  @Test
  void noAgentMakesAFullHandshakePerRequestAndNeverResumes() throws Exception {
    HarnessServer s = tlsServer();
    // Node's agent: false builds an agent (and so a session cache) per request
    Agent a = agent(s, AgentOptions.builder(), TlsOptions.builder().maxCachedSessions(0));
    Set<String> ports = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      ports.add(get(a, s.uri().toString()));
    }
    assertEquals(3, ports.size());
    assertEquals(3, s.stats().connectionsAccepted());
    assertEquals(3L, s.stats().tlsFullHandshakes(), "three full handshakes, seen by the server");
    assertEquals(0, s.stats().tlsResumedHandshakes());
    assertEquals(3, a.stats().tlsHandshakeCount());
    assertEquals(0, a.stats().tlsResumedCount());
  }

  @Test
  void closeResumeOpensAConnectionPerRequestAndResumesTheSession() throws Exception {
    HarnessServer s = tlsServer();
    Agent a = agent(s, AgentOptions.builder(), TlsOptions.builder()); // keepAlive false, cache on
    Set<String> ports = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      ports.add(get(a, s.uri().toString()));
    }
    assertEquals(4, ports.size(), "a new connection per request");
    assertEquals(4, s.stats().connectionsAccepted());
    assertEquals(1L, s.stats().tlsFullHandshakes(), "one full handshake; the server saw it");
    assertEquals(3, s.stats().tlsResumedHandshakes());
    assertEquals(4, a.stats().tlsHandshakeCount());
    assertEquals(3, a.stats().tlsResumedCount(), "the client resumed the other three");
  }

  @Test
  void anUntrustedCertificateFailsTlsWithTheReasonWithoutHangingOrLeaking() throws Exception {
    HarnessServer s = tlsServer();
    Agent a = Agent.create(AgentOptions.builder().keepAlive(true).build()); // platform roots only
    closeables.add(a);
    AgentException e = failure(a.request(Request.get(s.uri().toString())));
    assertEquals(ErrorClass.TLS, e.errorClass());
    assertTrue(e.getMessage().contains("certification path"), e.getMessage());
    assertEquals(0, a.stats().openSockets());
    assertEquals(1, a.stats().tlsHandshakeErrorCount());
    assertEquals(0, s.stats().requests(), "nothing was sent");
  }

  @Test
  void insecureAcceptsAnyCertificate() throws Exception {
    HarnessServer s = tlsServer();
    Agent a =
        Agent.create(
            AgentOptions.builder()
                .tls(TlsOptions.builder().rejectUnauthorized(false).build())
                .build());
    closeables.add(a);
    get(a, s.uri().toString());
  }

  @Test
  void sniIsSentAsConfiguredAndNotForAnIpLiteral() throws Exception {
    HarnessServer s = tlsServer();
    Agent plain = agent(s, AgentOptions.builder().keepAlive(true), TlsOptions.builder());
    assertTrue(body(plain, s.uri() + "tls").contains("sni: none\n"), "no SNI for 127.0.0.1");
    Agent named =
        agent(s, AgentOptions.builder().keepAlive(true), TlsOptions.builder().servername("a.test"));
    String tls = body(named, s.uri() + "tls");
    assertTrue(tls.contains("sni: a.test\n"), tls);
    assertTrue(tls.contains("protocol: TLSv1.3\n"), tls);
    Agent localhost = agent(s, AgentOptions.builder().keepAlive(true), TlsOptions.builder());
    String viaName = body(localhost, "https://localhost:" + s.port() + "/tls");
    assertTrue(viaName.contains("sni: localhost\n"), viaName);
  }

  @Test
  void maxVersionTls12IsNegotiated() throws Exception {
    HarnessServer s = tlsServer();
    Agent a =
        agent(
            s, AgentOptions.builder().keepAlive(true), TlsOptions.builder().maxVersion("TLSv1.2"));
    assertTrue(body(a, s.uri() + "tls").contains("protocol: TLSv1.2\n"));
  }

  private static String body(Agent a, String url) throws Exception {
    return new String(a.send(Request.get(url)).body(), java.nio.charset.StandardCharsets.UTF_8);
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
