package dev.keepalive.agent;

/**
 * A Node.js release line whose {@code http.Agent} the agent reproduces ({@link
 * AgentOptions#nodeVersion()}). Each line is read from the {@code lib/_http_agent.js} built into
 * one release of it, its {@linkplain #referenceRelease() reference release}; the decisions that
 * differ between lines are listed, with their source lines, in {@code docs/node-agent-semantics.md}
 * §15.
 *
 * <p>What changes in this agent with the line: whether {@link
 * AgentOptions#agentKeepAliveTimeoutBuffer()} exists (22 and later). What does not: the guard
 * against bytes arriving on a free socket, which Node 20 lacks, is kept on every line (reusing such
 * a socket lets a server answer a request before it is sent).
 */
public enum NodeVersion {
  /** Node 20 "Iron": end of life since April 2026. */
  V20(20, "20.20.2"),
  /** Node 22 "Jod", LTS. */
  V22(22, "22.23.5"),
  /** Node 24 "Krypton", LTS: the newest LTS line, and the default. */
  V24(24, "24.22.3"),
  /** Node 26, current (not LTS). */
  V26(26, "26.12.1");

  /** The default: the newest LTS line. */
  public static final NodeVersion NEWEST_LTS = V24;

  private final int line;
  private final String referenceRelease;

  NodeVersion(int line, String referenceRelease) {
    this.line = line;
    this.referenceRelease = referenceRelease;
  }

  /** The major version: 20, 22, 24 or 26. */
  public int line() {
    return line;
  }

  /** The release whose built-in sources the agent follows for this line, e.g. {@code 24.22.3}. */
  public String referenceRelease() {
    return referenceRelease;
  }

  /**
   * Whether {@code new Agent({agentKeepAliveTimeoutBuffer})} is read (since 22.20.0 and 24.7.0);
   * Node 20 hard-codes the 1000 ms ({@code HTTP_AGENT_KEEP_ALIVE_TIMEOUT_BUFFER}).
   */
  public boolean hasAgentKeepAliveTimeoutBuffer() {
    return line >= 22;
  }

  /**
   * The line of a version as Node or a user spells it: {@code 22}, {@code v22}, {@code 22.23.5} or
   * {@code v22.23.5}.
   *
   * @throws IllegalArgumentException naming the allowed lines and the value
   */
  public static NodeVersion parse(String value) {
    String v = value == null ? "" : value.trim();
    if (v.startsWith("v")) {
      v = v.substring(1);
    }
    int dot = v.indexOf('.');
    String major = dot < 0 ? v : v.substring(0, dot);
    for (NodeVersion n : values()) {
      if (String.valueOf(n.line).equals(major)) {
        return n;
      }
    }
    throw new IllegalArgumentException(
        "nodeVersion must be one of 20, 22, 24, 26, was '" + value + "'");
  }

  @Override
  public String toString() {
    return String.valueOf(line);
  }
}
