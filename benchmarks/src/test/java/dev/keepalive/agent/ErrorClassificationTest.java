package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** How I/O failures map onto the error classes of docs/design.md. */
class ErrorClassificationTest {

  @Test
  void connectFailures() {
    assertEquals(
        ErrorClass.REFUSED, IoFailures.classifyConnect(new ConnectException("Connection refused")));
    assertEquals(
        ErrorClass.REFUSED,
        IoFailures.classifyConnect(new NoRouteToHostException("No route to host")));
    assertEquals(ErrorClass.REFUSED, IoFailures.classifyConnect(new UnresolvedAddressException()));
    // EADDRNOTAVAIL: no local port left, typically TIME_WAIT build-up from a connection per request
    assertEquals(
        ErrorClass.PORTS_EXHAUSTED,
        IoFailures.classifyConnect(new BindException("Cannot assign requested address")));
    assertEquals(
        ErrorClass.PORTS_EXHAUSTED,
        IoFailures.classifyConnect(new IOException("Cannot assign requested address")));
  }

  @Test
  void failuresOnAnEstablishedConnection() {
    assertEquals(
        ErrorClass.RESET, IoFailures.classifyIo(new IOException("Connection reset by peer")));
    assertEquals(ErrorClass.CLOSED_EARLY, IoFailures.classifyIo(new IOException("Broken pipe")));
  }

  @Test
  void everyClassHasItsPublishedName() {
    assertEquals("closed_early", ErrorClass.CLOSED_EARLY.wireName());
    assertEquals("ports_exhausted", ErrorClass.PORTS_EXHAUSTED.wireName());
    assertEquals("too_large", ErrorClass.TOO_LARGE.wireName());
    for (ErrorClass c : ErrorClass.values()) {
      assertEquals(c, AgentException.of(c, "m", false, null).errorClass());
    }
  }
}
