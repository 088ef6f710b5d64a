package dev.keepalive.agent;

/**
 * The running counters of one agent, with agentkeepalive's {@code getCurrentStatus()} names; read
 * through {@link AgentStats}.
 *
 * <p>Thread-safety: confined to the agent's event loop, like {@link Connections}, which owns it.
 */
final class AgentCounters {
  long createSocketCount;
  long createSocketErrorCount;
  long closeSocketCount;
  long errorSocketCount;
  long timeoutSocketCount;
  long requestCount;
  long reusedRequestCount;
  long retryCount;
  long tlsHandshakeCount;
  long tlsResumedCount;
  long tlsHandshakeErrorCount;
}
