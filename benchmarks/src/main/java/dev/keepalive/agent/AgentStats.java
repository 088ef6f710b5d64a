package dev.keepalive.agent;

import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of an agent, with agentkeepalive's {@code getCurrentStatus()} names.
 *
 * @param createSocketCount sockets successfully connected
 * @param createSocketErrorCount connect failures
 * @param closeSocketCount sockets closed, for any reason
 * @param errorSocketCount socket errors (resets, broken pipes, unsolicited bytes)
 * @param timeoutSocketCount free sockets closed by the agent timeout
 * @param requestCount requests that completed with a response
 * @param reusedRequestCount requests served by a socket taken from the free pool
 * @param retryCount requests sent again after the stale-socket race ({@link
 *     AgentOptions#retryOnStaleSocket()})
 * @param tlsHandshakeCount TLS handshakes completed (full and resumed)
 * @param tlsResumedCount of those, abbreviated handshakes that resumed a cached session
 * @param tlsHandshakeErrorCount TLS handshakes that failed
 * @param totalSocketCount sockets open now (in use and free), Node's {@code totalSocketCount}
 * @param origins per origin name: sockets in use, free sockets, queued requests
 */
public record AgentStats(
    long createSocketCount,
    long createSocketErrorCount,
    long closeSocketCount,
    long errorSocketCount,
    long timeoutSocketCount,
    long requestCount,
    long reusedRequestCount,
    long retryCount,
    long tlsHandshakeCount,
    long tlsResumedCount,
    long tlsHandshakeErrorCount,
    int totalSocketCount,
    Map<String, OriginStats> origins) {

  /**
   * @param sockets sockets in use (Node's {@code sockets[name].length})
   * @param freeSockets pooled idle sockets ({@code freeSockets[name].length})
   * @param requests requests waiting for a socket ({@code requests[name].length})
   */
  public record OriginStats(int sockets, int freeSockets, int requests) {}

  static AgentStats of(AgentCounters c, Pool<?, ?> pool) {
    TreeMap<String, OriginStats> origins = new TreeMap<>();
    pool.origins()
        .forEach(
            (name, o) ->
                origins.put(
                    name,
                    new OriginStats(o.sockets.size(), o.freeSockets.size(), o.requests.size())));
    return new AgentStats(
        c.createSocketCount,
        c.createSocketErrorCount,
        c.closeSocketCount,
        c.errorSocketCount,
        c.timeoutSocketCount,
        c.requestCount,
        c.reusedRequestCount,
        c.retryCount,
        c.tlsHandshakeCount,
        c.tlsResumedCount,
        c.tlsHandshakeErrorCount,
        pool.totalSocketCount(),
        java.util.Collections.unmodifiableSortedMap(origins));
  }

  /** Sockets open now, free ones included. */
  public int openSockets() {
    return totalSocketCount;
  }

  /** Requests waiting in the agent's queues now. */
  public int queuedRequests() {
    return origins.values().stream().mapToInt(OriginStats::requests).sum();
  }
}
