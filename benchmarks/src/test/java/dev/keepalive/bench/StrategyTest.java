package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.agent.Scheduling;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strategy catalogue is the one owner of row names and lists. */
class StrategyTest {

  @Test
  void theDefaultSuiteRowsAreThePublishedOnesInTableOrder() {
    assertEquals(
        List.of(
            "no-agent",
            "keep-alive",
            "max-sockets-1",
            "max-sockets-4",
            "max-sockets-16",
            "keep-alive-fifo",
            "jdk-httpclient",
            "apache-hc5",
            "okhttp",
            "raw-socket"),
        Strategy.DEFAULT_ROWS);
    assertEquals(
        List.of("raw-socket", "keep-alive", "jdk-httpclient", "apache-hc5", "okhttp"),
        Strategy.OVERHEAD_ROWS);
    assertEquals(
        List.of(
            "keep-alive",
            "free-socket-timeout",
            "keep-alive-hint",
            "retry",
            "jdk-httpclient",
            "apache-hc5",
            "okhttp"),
        Strategy.FAULT_ROWS);
  }

  @Test
  void everyListedRowParsesAndFormatsBackToItsName() {
    List<String> rows = new ArrayList<>(Strategy.DEFAULT_ROWS);
    rows.addAll(Strategy.OVERHEAD_ROWS);
    rows.addAll(Strategy.QUICK_ROWS);
    rows.addAll(Strategy.ORIGINS_ROWS);
    for (String row : rows) {
      assertEquals(row, Strategy.of(row).name());
    }
    for (String row : Strategy.FAULT_ROWS) {
      assertEquals(row, Strategy.FaultRow.of(row, 200).strategy().name());
    }
  }

  @Test
  void boundsParseAndFormatWithinTheirRange() {
    for (int n : new int[] {1, 4, 16, 999_999}) {
      Strategy s = Strategy.of(Strategy.maxSockets(n));
      assertEquals("max-sockets-" + n, s.name());
      assertEquals(n, s.maxSocketsPerOrigin());
      assertEquals(n, s.options().maxSockets());
      assertEquals(Strategy.Client.AGENT, s.client());
      Strategy t = Strategy.of(Strategy.maxTotal(n));
      assertEquals("max-total-" + n, t.name());
      assertEquals(n, t.maxTotalSockets());
    }
    Strategy hc5 = Strategy.of(Strategy.APACHE_HC5_MAX_SOCKETS_PREFIX + 2);
    assertEquals("apache-hc5-max-sockets-2", hc5.name());
    assertEquals(Strategy.Client.APACHE_HC5, hc5.client());
    assertEquals(2, hc5.maxSocketsPerOrigin());
    assertEquals(9_999, Strategy.of("apache-hc5-max-total-9999").maxTotalSockets());
    assertEquals(Scheduling.FIFO, Strategy.of("apache-hc5-fifo").options().scheduling());
    for (String bad :
        List.of(
            "max-sockets-0",
            "max-sockets-01",
            "max-sockets-1000000",
            "max-total-",
            "apache-hc5-max-sockets-10000",
            "keep-alive-lifo",
            "")) {
      assertThrows(IllegalArgumentException.class, () -> Strategy.of(bad), bad);
    }
  }

  @Test
  void anUnknownNameListsEveryKnownForm() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Strategy.of("pooled"));
    assertEquals(
        "strategy must be one of no-agent, close-resume, keep-alive, keep-alive-fifo, max-sockets-N,"
            + " max-total-N, jdk-httpclient, apache-hc5, apache-hc5-fifo, apache-hc5-max-sockets-N,"
            + " apache-hc5-max-total-N, okhttp, raw-socket, was 'pooled'",
        e.getMessage());
  }

  @Test
  void faultRowsAreConfiguredAgainstTheServersIdleTimeout() {
    Strategy.FaultRow free = Strategy.FaultRow.of("free-socket-timeout", 200);
    assertEquals(150, free.strategy().options().timeoutMillis());
    assertTrue(free.strategy().options().keepAlive());
    assertEquals(0, free.keepAliveHintSeconds());
    Strategy.FaultRow hint = Strategy.FaultRow.of("keep-alive-hint", 200);
    assertEquals(1, hint.keepAliveHintSeconds());
    assertEquals(10_000, hint.strategy().options().timeoutMillis());
    assertTrue(Strategy.FaultRow.of("retry", 200).strategy().options().retryOnStaleSocket());
    assertEquals(
        Strategy.of("keep-alive").options().timeoutMillis(),
        Strategy.FaultRow.of("keep-alive", 200).strategy().options().timeoutMillis());
    assertEquals(Strategy.Client.OKHTTP, Strategy.FaultRow.of("okhttp", 200).strategy().client());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Strategy.FaultRow.of("max-sockets-4", 200));
    assertTrue(e.getMessage().contains("or a peer strategy, was 'max-sockets-4'"), e.getMessage());
  }

  @Test
  void onlyPeersRetrySilently() {
    for (String peer : List.of("jdk-httpclient", "apache-hc5", "apache-hc5-fifo", "okhttp")) {
      assertTrue(Strategy.retriesSilently(peer), peer);
    }
    for (String row : List.of("keep-alive", "retry", "free-socket-timeout", "raw-socket", "x")) {
      assertFalse(Strategy.retriesSilently(row), row);
    }
  }
}
