package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The control routes answer only a Host naming the server: a web page's requests to the local port
 * (DNS rebinding, CSRF) carry the page's own name and are refused, so they cannot reset the
 * counters in the middle of a benchmark. Before, any Host was served.
 */
class ControlRoutesIT {

  private HarnessServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aForeignHostCannotReadOrResetTheCounters() throws Exception {
    server = ServerOptions.builder().start();
    int port = server.port();
    try (RawConnection c = new RawConnection(port)) {
      assertEquals(200, c.get("/").status());
      RawConnection.Response reset =
          c.sendAndRead(
              "POST /stats/reset HTTP/1.1\r\nHost: attacker.example:"
                  + port
                  + "\r\nContent-Length: 0\r\n\r\n");
      assertEquals(403, reset.status());
      assertEquals(
          "control routes answer only a Host naming this server (localhost:"
              + port
              + "), not 'attacker.example:"
              + port
              + "'\n",
          reset.text());
      assertNull(reset.header("X-Client-Port"), "not counted");
      RawConnection.Response read =
          c.sendAndRead("GET /stats HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
      assertEquals(403, read.status());
      assertFalse(read.text().contains("connectionsAccepted"), read.text());
    }
    assertEquals(1, server.stats().requests(), "the counters were not reset");
  }

  @Test
  void theServersOwnNamesWithItsPortAreServed() throws Exception {
    server = ServerOptions.builder().start();
    int port = server.port();
    try (RawConnection c = new RawConnection(port)) {
      for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port)) {
        RawConnection.Response r =
            c.sendAndRead("GET /stats HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        assertEquals(200, r.status(), host);
        assertTrue(r.text().contains("\"connectionsOpenUnserved\""), r.text());
      }
      RawConnection.Response reset =
          c.sendAndRead(
              "POST /stats/reset HTTP/1.1\r\nHost: localhost:"
                  + port
                  + "\r\nContent-Length: 0\r\n\r\n");
      assertEquals(204, reset.status());
      RawConnection.Response noPort =
          c.sendAndRead("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals(403, noPort.status(), "the port is part of the name");
      RawConnection.Response otherPort =
          c.sendAndRead("GET /stats HTTP/1.1\r\nHost: 127.0.0.1:" + (port + 1) + "\r\n\r\n");
      assertEquals(403, otherPort.status());
    }
    try (RawConnection http10 = new RawConnection(port)) {
      assertEquals(403, http10.sendAndRead("GET /stats HTTP/1.0\r\n\r\n").status(), "no Host");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "localhost:8080,    127.0.0.1, 8080, 127.0.0.1, true",
    "127.0.0.1:8080,    127.0.0.1, 8080, 127.0.0.1, true",
    "127.0.0.1:8081,    127.0.0.1, 8080, 127.0.0.1, false",
    "127.0.0.1,         127.0.0.1, 8080, 127.0.0.1, false",
    "localhost,         127.0.0.1, 80,   127.0.0.1, true",
    "[::1]:8080,        ::1,       8080, ::1,       true",
    "[0:0:0:0:0:0:0:1]:8080, ::1,  8080, ::1,       true",
    "[::2]:8080,        ::1,       8080, ::1,       false",
    "[::1,              ::1,       8080, ::1,       false",
    "bench.lan:8080,    10.0.0.5,  8080, bench.lan, true",
    "10.0.0.5:8080,     10.0.0.5,  8080, 0.0.0.0,   true",
    "rebind.example:8080, 127.0.0.1, 8080, 127.0.0.1, false",
    "localhost.example:8080, 127.0.0.1, 8080, 127.0.0.1, false",
  })
  void theHostRule(String host, String local, int port, String bound, boolean ours)
      throws Exception {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(local), port);
    assertEquals(ours, ControlRoutes.hostIsOurs(host, address, bound));
  }

  @Test
  void loopbackIsQuietAndAnyOtherAddressIsWarnedAbout() throws Exception {
    try (LogRecorder log = new LogRecorder()) {
      server = ServerOptions.builder().start();
      assertEquals(List.of(), log.lines(), "127.0.0.1 is not open to a network");
    }
    assertNull(HarnessServer.openNetworkWarning(new InetSocketAddress("::1", 9000)));
    assertEquals(
        "harness-server: listening on every interface of this machine (port 9000), not on"
            + " loopback: anyone on that network can read /stats and POST /stats/reset, which"
            + " trust the Host header alone",
        HarnessServer.openNetworkWarning(new InetSocketAddress("0.0.0.0", 9000)));
    assertTrue(
        HarnessServer.openNetworkWarning(new InetSocketAddress("192.0.2.7", 9000))
            .startsWith("harness-server: listening on 192.0.2.7 (port 9000), not on loopback"));
  }
}
