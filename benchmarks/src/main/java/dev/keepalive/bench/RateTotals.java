package dev.keepalive.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An open-loop trial ({@link RateBenchmark}, or one point of the {@code knee} sweep): its workload,
 * what its measured requests showed ({@link RateSummary}), and the server's own counts. Written as
 * the trial's {@code .rate.json} ({@link TrialFiles#rateJson}); the field names are a published
 * schema. The server's fields are absent when it could not be asked (an external target).
 *
 * <p>Thread-safety: immutable (see the package).
 *
 * @param strategy the row
 * @param arrivals {@code constant} or {@code poisson}
 * @param rate offered requests/s
 * @param payload response body bytes
 * @param origins server listeners
 * @param serverDelayMs server-side delay per response, ms
 * @param rttMs the round trip time the relay added, ms; 0 for a direct path
 * @param timeoutMs the whole-request deadline, ms; 0 = none
 * @param placement where the server ran ({@link TargetServer#placement()})
 * @param measured what the measured requests showed
 * @param clientConnections connections the client opened while measuring, or -1 (peers)
 * @param serverConnections connections the server accepted while measuring, or null
 * @param serverRequests requests the server received while measuring, or null
 * @param maxConnectionsOpenPerListener the most connections open at once, per listener, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "strategy",
  "arrivals",
  "rate",
  "payload",
  "origins",
  "serverDelayMs",
  "rttMs",
  "timeoutMs",
  "placement",
  "measured",
  "clientConnections",
  "serverConnections",
  "serverRequests",
  "maxConnectionsOpenPerListener"
})
public record RateTotals(
    String strategy,
    String arrivals,
    int rate,
    int payload,
    int origins,
    int serverDelayMs,
    int rttMs,
    long timeoutMs,
    String placement,
    RateSummary measured,
    long clientConnections,
    Long serverConnections,
    Long serverRequests,
    List<Long> maxConnectionsOpenPerListener) {

  /** Thread-safe once configured (Jackson's rule); readers ignore fields they do not know. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One JSON object on one line. */
  public void write(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this) + "\n");
  }

  /**
   * @throws IOException when the file is unreadable or not such JSON
   */
  public static RateTotals read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), RateTotals.class);
  }
}
