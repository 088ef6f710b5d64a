package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS server that misbehaves: every request still ends, classified, within its deadline, and no
 * socket is left open — a stall mid-handshake, an alert, a close_notify mid-body, a truncated
 * record, bytes that are not TLS.
 */
class HostileTlsIT {

  @TempDir static Path dir;
  private static SSLContext serverContext;
  private static X509Certificate certificate;
  private long socketsBefore;

  @BeforeAll
  static void keys() throws Exception {
    Path ks = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "s",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=hostile",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "secret",
                "-keypass",
                "secret")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertEquals(0, keytool.waitFor());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "secret".toCharArray());
    }
    certificate = (X509Certificate) store.getCertificate("s");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "secret".toCharArray());
    serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
  }

  @BeforeEach
  void countSockets() {
    socketsBefore = SocketFds.count();
  }

  @AfterEach
  void noLeak() throws Exception {
    if (socketsBefore >= 0) {
      long after = SocketFds.awaitAtMost(socketsBefore);
      assertTrue(
          after <= socketsBefore, "sockets: " + socketsBefore + " before, " + after + " after");
    }
  }

  /** One connection served by {@code behaviour} on a thread; closed with the test. */
  private interface Behaviour {
    void serve(Socket plain) throws Exception;
  }

  private static AgentException oneRequest(Behaviour b, TlsOptions.Builder tls, long timeoutMillis)
      throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Agent a =
            Agent.create(
                AgentOptions.builder()
                    .keepAlive(true)
                    .tls(tls.ca(List.of(certificate)).build())
                    .build())) {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = ss.accept()) {
                  b.serve(s);
                } catch (Exception e) {
                  // the client went away: what the behaviour wanted to see happen anyway
                }
              });
      t.setDaemon(true);
      t.start();
      long start = System.nanoTime();
      CompletableFuture<Response> f =
          a.request(
              Request.builder("https://127.0.0.1:" + ss.getLocalPort() + "/")
                  .timeoutMillis(timeoutMillis)
                  .build());
      AgentException e = TlsIT.failure(f);
      assertTrue(
          System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(timeoutMillis + 5_000),
          "ended within its deadline");
      assertEquals(0, a.stats().openSockets());
      t.join(5_000);
      return e;
    }
  }

  private static SSLSocket tls(Socket plain) throws Exception {
    SSLSocket s =
        (SSLSocket)
            serverContext.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
    s.setUseClientMode(false);
    s.startHandshake();
    return s;
  }

  /** Reads a request head from the TLS socket (up to the blank line). */
  private static void readHead(InputStream in) throws Exception {
    int state = 0;
    for (int b; state < 4 && (b = in.read()) >= 0; ) {
      state = (b == '\r' || b == '\n') ? state + 1 : 0;
    }
  }

  @Test
  void aServerThatStallsMidHandshakeIsBoundedByTheRequestTimeout() throws Exception {
    AgentException e =
        oneRequest(
            s -> {
              s.getInputStream().read(); // takes the ClientHello's first byte, answers nothing
              Thread.sleep(1_500);
            },
            TlsOptions.builder(),
            400);
    assertEquals(ErrorClass.TIMEOUT, e.errorClass(), e.getMessage());
  }

  @Test
  void anAlertFailsTlsWithTheReason() throws Exception {
    AgentException e =
        oneRequest(
            s -> {
              SSLSocket t =
                  (SSLSocket)
                      serverContext.getSocketFactory().createSocket(s, null, s.getPort(), false);
              t.setUseClientMode(false);
              t.setEnabledProtocols(new String[] {"TLSv1.2"});
              t.startHandshake(); // the client asks for TLS 1.3 only: protocol_version alert
            },
            TlsOptions.builder().minVersion("TLSv1.3"),
            5_000);
    assertEquals(ErrorClass.TLS, e.errorClass(), e.getMessage());
    assertTrue(e.getMessage().contains("TLS handshake with"), e.getMessage());
  }

  @Test
  void aCloseNotifyMidBodyIsClosedEarly() throws Exception {
    AgentException e =
        oneRequest(
            s -> {
              SSLSocket t = tls(s);
              readHead(t.getInputStream());
              OutputStream out = t.getOutputStream();
              out.write(
                  "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"
                      .getBytes(StandardCharsets.US_ASCII));
              out.flush();
              t.close(); // close_notify, then FIN
            },
            TlsOptions.builder(),
            5_000);
    assertEquals(ErrorClass.CLOSED_EARLY, e.errorClass(), e.getMessage());
    assertTrue(e.getMessage().contains("ended early"), e.getMessage());
  }

  @Test
  void aTruncatedRecordIsClosedEarlyWithoutHanging() throws Exception {
    AgentException e =
        oneRequest(
            s -> {
              SSLSocket t = tls(s);
              readHead(t.getInputStream());
              t.getOutputStream()
                  .write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"
                          .getBytes(StandardCharsets.US_ASCII));
              t.getOutputStream().flush();
              // half an application-data record, straight onto the TCP socket, then FIN
              s.getOutputStream().write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3, 4});
              s.getOutputStream().flush();
              s.shutdownOutput();
              Thread.sleep(500);
            },
            TlsOptions.builder(),
            5_000);
    assertEquals(ErrorClass.CLOSED_EARLY, e.errorClass(), e.getMessage());
  }

  @Test
  void aPlainHttpServerOnAnHttpsUrlFailsTls() throws Exception {
    try (HarnessServer plain = ServerOptions.builder().start();
        Agent a = Agent.create(AgentOptions.builder().keepAlive(true).build())) {
      AgentException e =
          TlsIT.failure(a.request(Request.get("https://127.0.0.1:" + plain.port() + "/")));
      assertEquals(ErrorClass.TLS, e.errorClass(), e.getMessage());
      assertEquals(0, a.stats().openSockets());
    }
  }
}
