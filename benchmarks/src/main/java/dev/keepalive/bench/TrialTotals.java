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
 * Whole-trial totals of a {@link StrategyBenchmark} trial, warmup included, from both sides: what
 * the trial checks compared. Written as the trial's {@code .trial.json} ({@link
 * TrialFiles#trialJson}); the field names are a published schema. The server's fields are absent
 * when the server could not be asked (an external target).
 *
 * <p>Thread-safety: immutable (see the package).
 *
 * @param strategy the row
 * @param concurrency requests in flight
 * @param payload response body bytes
 * @param origins server listeners
 * @param rttMs the round trip time the relay added, ms; 0 for a direct path (and in files written
 *     before the relay)
 * @param placement where the server ran ({@link TargetServer#placement()})
 * @param issued requests issued by the client
 * @param ok requests that completed with a response
 * @param errors requests that failed, of any error class
 * @param clientConnections connections the client opened (the server's count for peers)
 * @param serverConnections connections the server accepted, or null
 * @param serverRequests requests the server received, or null
 * @param maxConnectionsOpenPerListener the most connections open at once, per listener, or null
 * @param scheme {@code http} or {@code https}; null in files written before the scheme parameter
 * @param serverTlsFullHandshakes over https, the full TLS handshakes the server made (a full
 *     handshake is the only kind that makes it choose its certificate); the other connections
 *     resumed a session. Null over http, and when the server could not be asked. Over https with
 *     the server in its own JVM, the trial's own control requests ({@code /stats}) are TLS
 *     connections too: their first handshake is full, later ones resume
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "strategy",
  "concurrency",
  "payload",
  "origins",
  "rttMs",
  "placement",
  "issued",
  "ok",
  "errors",
  "clientConnections",
  "serverConnections",
  "serverRequests",
  "maxConnectionsOpenPerListener",
  "scheme",
  "serverTlsFullHandshakes"
})
public record TrialTotals(
    String strategy,
    int concurrency,
    int payload,
    int origins,
    int rttMs,
    String placement,
    long issued,
    long ok,
    long errors,
    long clientConnections,
    Long serverConnections,
    Long serverRequests,
    List<Long> maxConnectionsOpenPerListener,
    String scheme,
    Long serverTlsFullHandshakes) {

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
  public static TrialTotals read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), TrialTotals.class);
  }
}
