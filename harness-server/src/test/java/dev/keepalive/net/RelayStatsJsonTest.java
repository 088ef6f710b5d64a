package dev.keepalive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The relay's /stats JSON is a published schema: its exact bytes, and reading it back. */
class RelayStatsJsonTest {

  private static final RelayStats SAMPLE =
      new RelayStats(7, 2, 1, 1300, 2600, new RelayStats.IdleCloses(3, 0, 1), 1);

  @Test
  void writesThePublishedFieldsInOrder() {
    assertEquals(
        "{\"connectionsAccepted\":7,\"connectionsOpen\":2,\"upstreamFailures\":1,"
            + "\"bytesToServer\":1300,\"bytesToClient\":2600,"
            + "\"idleCloses\":{\"fin\":3,\"rst\":0,\"silent\":1},\"forgottenFlowResets\":1}",
        SAMPLE.toJson());
  }

  @Test
  void readsBackWhatItWroteAndIgnoresFieldsItDoesNotKnow() {
    assertEquals(SAMPLE, RelayStats.fromJson(SAMPLE.toJson()));
    String newer =
        SAMPLE
            .toJson()
            .replace("{\"connectionsAccepted\"", "{\"future\":1,\"connectionsAccepted\"");
    assertEquals(SAMPLE, RelayStats.fromJson(newer));
    assertEquals(1, SAMPLE.idleCloses().of(IdleClose.SILENT));
  }

  @Test
  void somethingElseIsRejectedWithTheReason() {
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> RelayStats.fromJson("{\"total\":{}}"));
    assertTrue(e.getMessage().startsWith("not the relay's stats JSON"), e.getMessage());
  }
}
