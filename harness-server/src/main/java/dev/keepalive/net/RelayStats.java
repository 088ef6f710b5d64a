package dev.keepalive.net;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An immutable snapshot of a {@link Relay}'s counters since its last reset, and the one owner of
 * their JSON form ({@code GET /stats} on the control port writes it with {@link #toJson()}; a
 * benchmark reads it with {@link #fromJson(String)}). Field names are a published schema.
 *
 * @param connectionsAccepted client connections the relay accepted
 * @param connectionsOpen client connections open now (a live gauge: not reset)
 * @param upstreamFailures accepted connections whose connection to the target failed (the client
 *     was reset)
 * @param bytesToServer bytes read from clients (relayed toward the target)
 * @param bytesToClient bytes read from the target (relayed toward clients)
 * @param idleCloses flows ended by the idle timeout, by kind
 * @param forgottenFlowResets client bytes on a {@code silent}-ly forgotten flow answered with a
 *     reset: each is a pooled socket that failed on reuse
 */
@JsonPropertyOrder({
  "connectionsAccepted",
  "connectionsOpen",
  "upstreamFailures",
  "bytesToServer",
  "bytesToClient",
  "idleCloses",
  "forgottenFlowResets"
})
public record RelayStats(
    long connectionsAccepted,
    long connectionsOpen,
    long upstreamFailures,
    long bytesToServer,
    long bytesToClient,
    IdleCloses idleCloses,
    long forgottenFlowResets) {

  /** Idle closes by kind ({@link IdleClose}). */
  @JsonPropertyOrder({"fin", "rst", "silent"})
  public record IdleCloses(long fin, long rst, long silent) {
    /** The count of one kind. */
    public long of(IdleClose kind) {
      return switch (kind) {
        case FIN -> fin;
        case RST -> rst;
        case SILENT -> silent;
      };
    }
  }

  /**
   * Thread-safe once configured (Jackson's rule). Readers ignore fields they do not know, so a
   * newer relay's additions do not break an older client.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One line of JSON, fields in the published order. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write relay stats as JSON", e);
    }
  }

  /**
   * Reads what {@link #toJson()} wrote.
   *
   * @throws UncheckedIOException naming the problem when the text is not such JSON
   */
  public static RelayStats fromJson(String json) {
    try {
      RelayStats s = JSON.readValue(json, RelayStats.class);
      if (s == null || s.idleCloses() == null) {
        throw new IOException("no 'idleCloses' in relay stats: " + json);
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("not the relay's stats JSON: " + e.getMessage(), e);
    }
  }
}
