package dev.keepalive.bench;

import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.Scheduling;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The strategy catalogue: a row of every table (docs/design.md) → a configured client. Adding a row
 * is one entry here.
 *
 * @param name the row name, e.g. {@code max-sockets-4}
 * @param client which client implements it
 * @param options the agent's options; for peers, the Node options their knobs are set to match
 * @param maxSocketsPerOrigin the strategy's per-origin bound, or {@link AgentOptions#UNBOUNDED}
 * @param maxTotalSockets the strategy's total bound, or {@link AgentOptions#UNBOUNDED}
 * @param description one line for tables and {@code -h}
 */
public record Strategy(
    String name,
    Client client,
    AgentOptions options,
    int maxSocketsPerOrigin,
    int maxTotalSockets,
    String description) {

  /** The client behind a strategy. */
  public enum Client {
    /** Our Node-style agent ({@code dev.keepalive.agent}). */
    AGENT,
    /** {@code java.net.http.HttpClient}, HTTP/1.1 forced. */
    JDK_HTTPCLIENT,
    /** Apache HttpClient 5 classic, pooling connection manager. */
    APACHE_HC5,
    /** OkHttp 4.12, synchronous calls. */
    OKHTTP,
    /** The floor: a minimal blocking keep-alive client, one socket per caller. */
    RAW_SOCKET
  }

  /** The rows of the default suite, in table order. */
  public static final List<String> DEFAULT_ROWS =
      List.of(
          "no-agent",
          "keep-alive",
          "max-sockets-1",
          "max-sockets-4",
          "max-sockets-16",
          "keep-alive-fifo",
          "jdk-httpclient",
          "apache-hc5",
          "okhttp",
          "raw-socket");

  /** The rows of the overhead comparison: our agent, the peers and the floor. */
  public static final List<String> OVERHEAD_ROWS =
      List.of("raw-socket", "keep-alive", "jdk-httpclient", "apache-hc5", "okhttp");

  private record Entry(Pattern pattern, IntFunction<Strategy> make) {}

  private static final List<Entry> CATALOGUE =
      List.of(
          fixed(
              "no-agent",
              () ->
                  agent(
                      "no-agent",
                      AgentOptions.defaults(),
                      "a new connection per request, Connection: close (Node's agent: false)")),
          fixed(
              "keep-alive", () -> agent("keep-alive", ka().build(), "keepAlive: true, no bounds")),
          fixed(
              "keep-alive-fifo",
              () ->
                  agent(
                      "keep-alive-fifo",
                      ka().scheduling(Scheduling.FIFO).build(),
                      "keepAlive: true, scheduling: fifo")),
          new Entry(
              Pattern.compile("max-sockets-([1-9][0-9]{0,5})"),
              n ->
                  agent(
                      "max-sockets-" + n,
                      ka().maxSockets(n).build(),
                      "keepAlive: true, maxSockets: " + n)),
          new Entry(
              Pattern.compile("max-total-([1-9][0-9]{0,5})"),
              n ->
                  agent(
                      "max-total-" + n,
                      ka().maxTotalSockets(n).build(),
                      "keepAlive: true, maxTotalSockets: " + n + " across origins")),
          fixed(
              "jdk-httpclient",
              () ->
                  peer(
                      "jdk-httpclient",
                      Client.JDK_HTTPCLIENT,
                      ka().build(),
                      "java.net.http.HttpClient, HTTP/1.1, blocking send; no per-host connection cap")),
          fixed(
              "apache-hc5",
              () ->
                  peer(
                      "apache-hc5",
                      Client.APACHE_HC5,
                      ka().build(),
                      "Apache HttpClient 5 classic, 1024 per route and total, LIFO, STRICT")),
          fixed(
              "apache-hc5-fifo",
              () ->
                  peer(
                      "apache-hc5-fifo",
                      Client.APACHE_HC5,
                      ka().scheduling(Scheduling.FIFO).build(),
                      "Apache HttpClient 5 classic, PoolReusePolicy.FIFO")),
          new Entry(
              Pattern.compile("apache-hc5-max-sockets-([1-9][0-9]{0,3})"),
              n ->
                  peer(
                      "apache-hc5-max-sockets-" + n,
                      Client.APACHE_HC5,
                      ka().maxSockets(n).build(),
                      "Apache HttpClient 5 classic, maxConnPerRoute " + n)),
          new Entry(
              Pattern.compile("apache-hc5-max-total-([1-9][0-9]{0,3})"),
              n ->
                  peer(
                      "apache-hc5-max-total-" + n,
                      Client.APACHE_HC5,
                      ka().maxTotalSockets(n).build(),
                      "Apache HttpClient 5 classic, maxConnTotal " + n + " (STRICT)")),
          fixed(
              "okhttp",
              () ->
                  peer(
                      "okhttp",
                      Client.OKHTTP,
                      ka().build(),
                      "OkHttp 4.12 synchronous calls, ConnectionPool(256 idle, 5 min); no connection cap")),
          fixed(
              "raw-socket",
              () ->
                  peer(
                      "raw-socket",
                      Client.RAW_SOCKET,
                      ka().build(),
                      "the floor: blocking keep-alive socket per in-flight request, no pool logic")));

  private static Strategy peer(String name, Client client, AgentOptions o, String description) {
    return new Strategy(name, client, o, o.maxSockets(), o.maxTotalSockets(), description);
  }

  private static Entry fixed(String name, java.util.function.Supplier<Strategy> make) {
    return new Entry(Pattern.compile(Pattern.quote(name)), n -> make.get());
  }

  private static AgentOptions.Builder ka() {
    return AgentOptions.builder().keepAlive(true);
  }

  private static Strategy agent(String name, AgentOptions o, String description) {
    return new Strategy(name, Client.AGENT, o, o.maxSockets(), o.maxTotalSockets(), description);
  }

  /**
   * @throws IllegalArgumentException naming the value and the known names
   */
  public static Strategy of(String name) {
    for (Entry e : CATALOGUE) {
      Matcher m = e.pattern().matcher(name);
      if (m.matches()) {
        return e.make().apply(m.groupCount() > 0 ? Integer.parseInt(m.group(1)) : 0);
      }
    }
    throw new IllegalArgumentException(
        "strategy must be one of no-agent, keep-alive, keep-alive-fifo, "
            + "max-sockets-N, max-total-N, jdk-httpclient, apache-hc5, apache-hc5-fifo, apache-hc5-max-sockets-N, "
            + "apache-hc5-max-total-N, okhttp, raw-socket, was '"
            + name
            + "'");
  }
}
