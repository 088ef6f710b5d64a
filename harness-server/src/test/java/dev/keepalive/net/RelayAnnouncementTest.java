package dev.keepalive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's first line is read by the process that started it: written and read in one place. */
class RelayAnnouncementTest {

  @Test
  void theFirstLineReadsBack() {
    RelayAnnouncement a =
        new RelayAnnouncement(
            List.of(URI.create("http://127.0.0.1:41234/"), URI.create("http://127.0.0.1:41235/")),
            URI.create("http://127.0.0.1:41236/stats"),
            "to 127.0.0.1:8080 127.0.0.1:8081; rtt 10 ms, jitter 0 ms, bandwidth unlimited,"
                + " idle close off");
    assertEquals(
        "relay listening on http://127.0.0.1:41234/ http://127.0.0.1:41235/"
            + " stats http://127.0.0.1:41236/stats (to 127.0.0.1:8080 127.0.0.1:8081; rtt 10 ms,"
            + " jitter 0 ms, bandwidth unlimited, idle close off)",
        a.format());
    assertEquals(a, RelayAnnouncement.parse(a.format()));
  }

  @Test
  void anotherLineIsRejected() {
    assertEquals(
        "not the relay's first line: 'harness-server listening on http://127.0.0.1:1/'",
        assertThrows(
                IllegalArgumentException.class,
                () -> RelayAnnouncement.parse("harness-server listening on http://127.0.0.1:1/"))
            .getMessage());
  }
}
