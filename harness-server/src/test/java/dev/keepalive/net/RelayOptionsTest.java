package dev.keepalive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RelayOptionsTest {

  private static RelayOptions.Builder valid() {
    return RelayOptions.builder().to("127.0.0.1", 8080);
  }

  private static String rejection(UnaryOperator<RelayOptions.Builder> change) {
    return assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build())
        .getMessage();
  }

  @Test
  void defaultsAreADirectPathWithoutIdleClose() {
    RelayOptions o = valid().build();
    assertEquals("127.0.0.1", o.host());
    assertEquals(0, o.port());
    assertEquals(0, o.rttMillis());
    assertEquals(0, o.jitterMillis());
    assertEquals(0, o.bandwidthMbitPerSecond());
    assertEquals(0, o.idleCloseMillis());
    assertEquals(IdleClose.FIN, o.idleClose());
    assertEquals(1, o.ioThreads());
    assertEquals("rtt 0 ms, jitter 0 ms, bandwidth unlimited, idle close off", o.toString());
  }

  @Test
  void buildNamesTheOffendingOption() {
    assertEquals("rttMillis must be in [0, 60000], was -1", rejection(b -> b.rttMillis(-1)));
    assertEquals(
        "jitterMillis must be in [0, 60000], was 60001", rejection(b -> b.jitterMillis(60_001)));
    assertEquals(
        "bandwidthMbitPerSecond must be in [0, 1000000] (0 = unlimited), was NaN",
        rejection(b -> b.bandwidthMbitPerSecond(Double.NaN)));
    assertEquals(
        "idleCloseMillis must be in [0, 86400000], was -5", rejection(b -> b.idleCloseMillis(-5)));
    assertEquals("ioThreads must be in [1, 16], was 0", rejection(b -> b.ioThreads(0)));
    assertEquals("port must be in [0, 65535], was 70000", rejection(b -> b.port(70_000)));
    assertEquals(
        "targets must be in [1, 64], was 0",
        assertThrows(IllegalArgumentException.class, () -> RelayOptions.builder().build())
            .getMessage());
  }

  @Test
  void idleCloseKindsHaveLowerCaseNames() {
    assertEquals(IdleClose.SILENT, IdleClose.of("silent"));
    assertEquals("rst", IdleClose.RST.flagName());
    assertEquals(
        "idleClose must be fin, rst or silent, was 'drop'",
        assertThrows(IllegalArgumentException.class, () -> IdleClose.of("drop")).getMessage());
  }
}
