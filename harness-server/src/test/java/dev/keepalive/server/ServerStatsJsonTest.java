package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The {@code /stats} JSON is a published schema: its bytes, and a round trip through Jackson. */
class ServerStatsJsonTest {

  private static ServerStats sample() {
    TreeMap<Long, Long> first = new TreeMap<>();
    first.put(1L, 3L);
    first.put(100L, 2L);
    return ServerStats.of(
        List.of(
            new ListenerStats(40001, 5, 5, 0, 2, 203, first, 1, 4, 2),
            new ListenerStats(40002, 1, 0, 1, 1, 7, new TreeMap<>(), 0, 1, 0)),
        null);
  }

  @Test
  void statsJsonKeepsThePublishedFieldNamesAndOrder() {
    assertEquals(
        "{\"total\":{\"port\":0,\"connectionsAccepted\":6,\"connectionsClosed\":5,"
            + "\"connectionsOpen\":1,\"maxConnectionsOpen\":3,\"requests\":210,"
            + "\"requestsPerClosedConnection\":{\"1\":3,\"100\":2},"
            + "\"connectionsOpenUnserved\":1,\"connectionsClosedUnserved\":5,\"requestReadTimeouts\":2},"
            + "\"listeners\":[{\"port\":40001,\"connectionsAccepted\":5,\"connectionsClosed\":5,"
            + "\"connectionsOpen\":0,\"maxConnectionsOpen\":2,\"requests\":203,"
            + "\"requestsPerClosedConnection\":{\"1\":3,\"100\":2},"
            + "\"connectionsOpenUnserved\":1,\"connectionsClosedUnserved\":4,\"requestReadTimeouts\":2},"
            + "{\"port\":40002,\"connectionsAccepted\":1,\"connectionsClosed\":0,"
            + "\"connectionsOpen\":1,\"maxConnectionsOpen\":1,\"requests\":7,"
            + "\"requestsPerClosedConnection\":{},"
            + "\"connectionsOpenUnserved\":0,\"connectionsClosedUnserved\":1,\"requestReadTimeouts\":0}]}",
        sample().toJson());
  }

  @Test
  void statsSurviveARoundTrip() {
    ServerStats s = sample();
    ServerStats back = ServerStats.fromJson(s.toJson());
    assertEquals(s, back);
    assertEquals(6, back.connectionsAccepted());
    assertEquals(
        List.of(2L, 1L), back.listeners().stream().map(l -> l.maxConnectionsOpen()).toList());
  }

  @Test
  void anOlderServersStatsReadWithZeroForTheFieldsItDidNotWrite() {
    String before =
        "{\"total\":{\"port\":0,\"connectionsAccepted\":1,\"connectionsClosed\":1,"
            + "\"connectionsOpen\":0,\"maxConnectionsOpen\":1,\"requests\":2,"
            + "\"requestsPerClosedConnection\":{\"2\":1}},\"listeners\":[]}";
    ListenerStats total = ServerStats.fromJson(before).total();
    assertEquals(2, total.requests());
    assertEquals(0, total.connectionsOpenUnserved());
    assertEquals(0, total.connectionsClosedUnserved());
    assertEquals(0, total.requestReadTimeouts());
  }

  @Test
  void somethingElseIsOneClearError() {
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> ServerStats.fromJson("{\"a\": 1}"));
    assertTrue(e.getMessage().contains("stats"), e.getMessage());
    assertThrows(UncheckedIOException.class, () -> ServerStats.fromJson("<html>"));
  }
}
