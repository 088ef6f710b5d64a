package dev.keepalive.bench;

import java.net.URI;
import java.util.List;

/**
 * What the strategy benchmark and the rate benchmark share about where their requests go: the
 * server ({@link TargetServer}: own JVM, in-process or external), the network path to it ({@link
 * NetworkPath}: direct, or the relay with an RTT), and the path on the server that gives the
 * workload's payload or delay. Closing it stops the relay, then the server.
 *
 * <p>Thread-safety: trial state (see the package).
 *
 * @param server the harness server (or an external target)
 * @param network the path the client's requests take to it
 */
public record TrialTarget(TargetServer server, NetworkPath network) implements AutoCloseable {

  /**
   * Starts the server, then the path to it; the server's counts start from zero.
   *
   * @param placement {@code process} or {@code inprocess}
   * @param target an external {@code http://host:port}, or empty
   */
  public static TrialTarget start(String placement, String target, int origins, int rttMs) {
    return start(placement, target, origins, rttMs, "http");
  }

  /**
   * {@link #start(String, String, int, int)} over {@code scheme}: with {@code https} the harness
   * server serves TLS, and {@link TargetServer#trust()} holds what clients must trust.
   */
  public static TrialTarget start(
      String placement, String target, int origins, int rttMs, String scheme) {
    TargetServer server = TargetServer.start(placement, target, origins, scheme);
    NetworkPath network;
    try {
      network = NetworkPath.start(placement, server.uris(), NetworkPath.Spec.rtt(rttMs));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    server.resetStats();
    return new TrialTarget(server, network);
  }

  /**
   * The server path of the workload: {@code /} (13 bytes), {@code /bytes/n}, or {@code /delay/ms}.
   *
   * @throws IllegalArgumentException naming the parameter and the value
   */
  public static String path(int payload, int serverDelayMs) {
    if (payload < 0 || serverDelayMs < 0) {
      throw new IllegalArgumentException(
          "payload and serverDelayMs must be >= 0, were " + payload + " and " + serverDelayMs);
    }
    if (serverDelayMs > 0 && payload != 13) {
      throw new IllegalArgumentException("serverDelayMs needs payload 13, was payload " + payload);
    }
    return serverDelayMs > 0
        ? "/delay/" + serverDelayMs
        : payload == 13 ? "/" : "/bytes/" + payload;
  }

  /** The URIs the client sends to, one per origin. */
  public List<URI> uris() {
    return network.uris();
  }

  @Override
  public void close() {
    try {
      network.close();
    } finally {
      server.close();
    }
  }
}
