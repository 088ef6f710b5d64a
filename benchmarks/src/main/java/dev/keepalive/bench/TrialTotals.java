package dev.keepalive.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whole-trial totals of a {@link StrategyBenchmark} trial, warmup included, from both sides, summed
 * over its forks: what the trial checks compared. Written as the trial's {@code .trial.json}
 * ({@link TrialFiles#trialJson}); each fork merges its totals into the earlier forks' ({@link
 * #merge}). The field names are a published schema. A connection count that nothing measured (a
 * peer client counts nothing itself; an external target without the harness server's {@code
 * /stats}) is the string {@value #UNKNOWN}, never 0; the server's other fields are then absent.
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
 * @param clientConnections connections the client opened (the server's count for peers), or null
 *     (written {@value #UNKNOWN}) when nothing counted them
 * @param serverConnections connections the server accepted, or null (written {@value #UNKNOWN})
 * @param serverRequests requests the server received, or null
 * @param maxConnectionsOpenPerListener the most connections open at once, per listener (the highest
 *     of any fork), or null
 * @param forks the measured forks these totals cover (1 in files written before forks were merged)
 * @param warmupForks JMH warmup forks ({@code -wf}) that ran before them; their data is not in here
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
  "forks",
  "warmupForks",
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
    @JsonInclude(JsonInclude.Include.ALWAYS)
        @JsonSerialize(nullsUsing = UnknownCount.Writer.class)
        @JsonDeserialize(using = UnknownCount.Reader.class)
        Long clientConnections,
    @JsonInclude(JsonInclude.Include.ALWAYS)
        @JsonSerialize(nullsUsing = UnknownCount.Writer.class)
        @JsonDeserialize(using = UnknownCount.Reader.class)
        Long serverConnections,
    Long serverRequests,
    List<Long> maxConnectionsOpenPerListener,
    Integer forks,
    Integer warmupForks,
    String scheme,
    Long serverTlsFullHandshakes) {

  /** How a connection count that nothing measured is written. */
  public static final String UNKNOWN = "unknown";

  /** Jackson's way to write and read {@value #UNKNOWN} for a null count. */
  static final class UnknownCount {
    private UnknownCount() {}

    static final class Writer extends JsonSerializer<Object> {
      @Override
      public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(UNKNOWN);
      }
    }

    static final class Reader extends JsonDeserializer<Long> {
      @Override
      public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING && UNKNOWN.equals(p.getText())) {
          return null;
        }
        return p.getValueAsLong();
      }
    }
  }

  /** The measured forks these totals cover: 1 for a file that predates the field. */
  public int forkCount() {
    return forks == null ? 1 : forks;
  }

  /** A warmup fork's visit: the same totals, one more warmup fork seen. */
  TrialTotals withWarmupFork() {
    return new TrialTotals(
        strategy,
        concurrency,
        payload,
        origins,
        rttMs,
        placement,
        issued,
        ok,
        errors,
        clientConnections,
        serverConnections,
        serverRequests,
        maxConnectionsOpenPerListener,
        forks == null ? 0 : forks,
        (warmupForks == null ? 0 : warmupForks) + 1,
        scheme,
        serverTlsFullHandshakes);
  }

  /**
   * The totals of the earlier forks ({@code this}) and of one more fork of the same trial: counts
   * summed (unknown if unknown on either side), the most connections open at once the highest of
   * either.
   *
   * @throws IllegalStateException when {@code next} is another trial (another row, workload or
   *     server placement) — two trials must never share a file
   */
  TrialTotals merge(TrialTotals next) {
    if (!strategy.equals(next.strategy)
        || concurrency != next.concurrency
        || payload != next.payload
        || origins != next.origins
        || rttMs != next.rttMs
        || !java.util.Objects.equals(placement, next.placement)
        || !java.util.Objects.equals(scheme, next.scheme)) {
      throw new IllegalStateException(
          "trial totals of another trial in the same file: " + this + " and " + next);
    }
    return new TrialTotals(
        strategy,
        concurrency,
        payload,
        origins,
        rttMs,
        placement,
        issued + next.issued,
        ok + next.ok,
        errors + next.errors,
        sum(clientConnections, next.clientConnections),
        sum(serverConnections, next.serverConnections),
        sum(serverRequests, next.serverRequests),
        highest(maxConnectionsOpenPerListener, next.maxConnectionsOpenPerListener),
        (forks == null ? 0 : forks) + next.forkCount(),
        warmupForks,
        scheme,
        sum(serverTlsFullHandshakes, next.serverTlsFullHandshakes));
  }

  private static Long sum(Long a, Long b) {
    return a == null || b == null ? null : a + b;
  }

  private static List<Long> highest(List<Long> a, List<Long> b) {
    if (a == null || b == null || a.size() != b.size()) {
      return a == null ? b : a;
    }
    List<Long> max = new java.util.ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      max.add(Math.max(a.get(i), b.get(i)));
    }
    return max;
  }

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
