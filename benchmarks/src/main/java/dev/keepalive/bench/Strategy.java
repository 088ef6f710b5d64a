package dev.keepalive.bench;

import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.Scheduling;
import dev.keepalive.agent.TlsOptions;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Param;

/**
 * The strategy catalogue: the one owner of every row name of every table (docs/design.md), of the
 * client each row configures, and of the row lists. Adding a row is one entry here.
 *
 * <p>Names. Every fixed name and every prefix of a parametric name ({@code max-sockets-N}) is a
 * constant of this class; {@link #of} parses a name and {@link #maxSockets}/{@link #maxTotal}
 * format one. Nothing else spells a row name.
 *
 * <p>Lists. JMH's {@code @Param} values must be compile-time constants, and Java cannot put a list
 * constant into an annotation, so each benchmark's {@code @Param} is the only copy of its list:
 * written with this class's constants (the compiler checks every name), and read back here by
 * reflection ({@link #DEFAULT_ROWS}, {@link #OVERHEAD_ROWS}, {@link #FAULT_ROWS}). A second,
 * hand-kept copy could drift from what JMH runs; this way there is none.
 *
 * <p>Thread-safety: immutable (see the package).
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
    AGENT(false),
    /** {@code java.net.http.HttpClient}, HTTP/1.1 forced. Retries GET/HEAD once. */
    JDK_HTTPCLIENT(true),
    /** Apache HttpClient 5 classic, pooling connection manager. Retries idempotent requests. */
    APACHE_HC5(true),
    /** OkHttp 4.12, synchronous calls. Retries any method on a connection failure. */
    OKHTTP(true),
    /**
     * The floor: a minimal keep-alive client on the benchmark thread's own selector, one connection
     * per request in flight. Counts its connections. Never retries.
     */
    RAW_SOCKET(false);

    private final boolean retriesSilently;

    Client(boolean retriesSilently) {
      this.retriesSilently = retriesSilently;
    }

    /** Retries a failed request by its own rules without counting it anywhere we can read. */
    public boolean retriesSilently() {
      return retriesSilently;
    }
  }

  // Row names (docs/design.md §4). Prefixes end with '-' and take a bound N >= 1.
  public static final String NO_AGENT = "no-agent";
  public static final String CLOSE_RESUME = "close-resume";
  public static final String KEEP_ALIVE = "keep-alive";
  public static final String KEEP_ALIVE_FIFO = "keep-alive-fifo";
  public static final String MAX_SOCKETS_PREFIX = "max-sockets-";
  public static final String MAX_TOTAL_PREFIX = "max-total-";
  public static final String JDK_HTTPCLIENT = "jdk-httpclient";
  public static final String APACHE_HC5 = "apache-hc5";
  public static final String APACHE_HC5_FIFO = APACHE_HC5 + "-fifo";
  public static final String APACHE_HC5_MAX_SOCKETS_PREFIX = APACHE_HC5 + "-" + MAX_SOCKETS_PREFIX;
  public static final String APACHE_HC5_MAX_TOTAL_PREFIX = APACHE_HC5 + "-" + MAX_TOTAL_PREFIX;
  public static final String OKHTTP = "okhttp";
  public static final String RAW_SOCKET = "raw-socket";

  // Rows of the stale keep-alive race only (FaultRow): our agent against a server's idle close.
  public static final String FREE_SOCKET_TIMEOUT = "free-socket-timeout";
  public static final String KEEP_ALIVE_HINT = "keep-alive-hint";
  public static final String RETRY = "retry";

  // Parametric names the benchmarks' @Param lists use (constant expressions, as JMH needs).
  public static final String MAX_SOCKETS_1 = MAX_SOCKETS_PREFIX + 1;
  public static final String MAX_SOCKETS_4 = MAX_SOCKETS_PREFIX + 4;
  public static final String MAX_SOCKETS_16 = MAX_SOCKETS_PREFIX + 16;
  public static final String MAX_TOTAL_4 = MAX_TOTAL_PREFIX + 4;

  /** The rows of the default suite, in table order: {@code StrategyBenchmark}'s defaults. */
  public static final List<String> DEFAULT_ROWS =
      jmhDefaults(StrategyBenchmark.Target.class, "strategy");

  /** The rows of the overhead comparison: our agent, the peers and the floor. */
  public static final List<String> OVERHEAD_ROWS = jmhDefaults(OverheadBenchmark.class, "strategy");

  /** The rows of the stale keep-alive race table: see {@link FaultRow#of}. */
  public static final List<String> FAULT_ROWS = jmhDefaults(FaultBenchmark.class, "row");

  /**
   * The peers and our agent's FIFO variant, measured by the default suite at one concurrency beside
   * {@code keep-alive}.
   */
  public static final List<String> SUITE_PEER_ROWS =
      List.of(KEEP_ALIVE_FIFO, JDK_HTTPCLIENT, APACHE_HC5, OKHTTP, RAW_SOCKET);

  /** The suite's several-origins rows: {@code max-total-N} counts across origins. */
  public static final List<String> ORIGINS_ROWS = List.of(KEEP_ALIVE, MAX_TOTAL_4);

  /**
   * The rows the suite also measures at a network distance (the relay's RTT): reuse against none, a
   * bounded pool, and one peer.
   */
  public static final List<String> SUITE_DISTANCE_ROWS =
      List.of(NO_AGENT, KEEP_ALIVE, MAX_SOCKETS_4, APACHE_HC5);

  /** The rows of the distance sweep ({@code distance}): reuse against none, and a bounded pool. */
  public static final List<String> DISTANCE_SWEEP_ROWS =
      List.of(NO_AGENT, KEEP_ALIVE, MAX_SOCKETS_4);

  /**
   * The rows measured over TLS ({@code scheme=https}): a full handshake per request ({@code
   * no-agent}), an abbreviated one per request ({@code close-resume}), reuse, a bounded pool and
   * the peers. Not {@code raw-socket}, which speaks plain TCP only.
   */
  public static final List<String> TLS_ROWS =
      List.of(
          NO_AGENT, CLOSE_RESUME, KEEP_ALIVE, MAX_SOCKETS_4, JDK_HTTPCLIENT, APACHE_HC5, OKHTTP);

  /**
   * The TLS rows whose differences are the handshake's cost per new connection, full ({@code
   * no-agent}) and resumed ({@code close-resume}), against reuse ({@code keep-alive}): the ones the
   * suites also measure at a distance.
   */
  public static final List<String> HANDSHAKE_ROWS = List.of(NO_AGENT, CLOSE_RESUME, KEEP_ALIVE);

  /**
   * The rows of the open-loop benchmark and of {@code knee}: {@code RateBenchmark}'s defaults (our
   * agent's strategies and the peers with an asynchronous API).
   */
  public static final List<String> RATE_ROWS = jmhDefaults(RateBenchmark.Target.class, "strategy");

  /** The clients that have an open-loop (asynchronous) form ({@code RateClient}). */
  public static final java.util.Set<Client> RATE_CLIENTS =
      java.util.EnumSet.of(Client.AGENT, Client.JDK_HTTPCLIENT, Client.OKHTTP, Client.APACHE_HC5);

  /** The one-origin rows of the quick suite ({@code suite --quick}, CI's smoke run). */
  public static final List<String> QUICK_ROWS =
      List.of(NO_AGENT, KEEP_ALIVE, MAX_SOCKETS_4, JDK_HTTPCLIENT, RAW_SOCKET);

  /** {@code max-sockets-N}. */
  public static String maxSockets(int n) {
    return MAX_SOCKETS_PREFIX + n;
  }

  /** {@code max-total-N}. */
  public static String maxTotal(int n) {
    return MAX_TOTAL_PREFIX + n;
  }

  /**
   * One name or family of names.
   *
   * @param form the name as the error message lists it, {@code N} for the bound
   */
  private record Entry(String form, Pattern pattern, IntFunction<Strategy> make) {}

  private static final List<Entry> CATALOGUE =
      List.of(
          // Node's agent: false makes an agent per request, whose TLS session cache starts empty
          fixed(NO_AGENT, "a new connection per request, Connection: close (Node's agent: false)")
              .agent(
                  AgentOptions.builder()
                      .tls(TlsOptions.builder().maxCachedSessions(0).build())
                      .build()),
          fixed(
                  CLOSE_RESUME,
                  "keepAlive: false, TLS session cache on (new https.Agent()): a new connection"
                      + " per request, resumed over https")
              .agent(AgentOptions.defaults()),
          fixed(KEEP_ALIVE, "keepAlive: true, no bounds").agent(ka().build()),
          fixed(KEEP_ALIVE_FIFO, "keepAlive: true, scheduling: fifo")
              .agent(ka().scheduling(Scheduling.FIFO).build()),
          bounded(
              MAX_SOCKETS_PREFIX,
              999_999,
              n ->
                  agent(
                      maxSockets(n),
                      ka().maxSockets(n).build(),
                      "keepAlive: true, maxSockets: " + n)),
          bounded(
              MAX_TOTAL_PREFIX,
              999_999,
              n ->
                  agent(
                      maxTotal(n),
                      ka().maxTotalSockets(n).build(),
                      "keepAlive: true, maxTotalSockets: " + n + " across origins")),
          fixed(
                  JDK_HTTPCLIENT,
                  "java.net.http.HttpClient, HTTP/1.1, blocking send per thread; no per-host"
                      + " connection cap")
              .peer(Client.JDK_HTTPCLIENT, ka().build()),
          fixed(
                  APACHE_HC5,
                  "Apache HttpClient 5 classic, blocking per thread, 1024 per route and total, LIFO,"
                      + " STRICT")
              .peer(Client.APACHE_HC5, ka().build()),
          fixed(APACHE_HC5_FIFO, "Apache HttpClient 5 classic, PoolReusePolicy.FIFO")
              .peer(Client.APACHE_HC5, ka().scheduling(Scheduling.FIFO).build()),
          bounded(
              APACHE_HC5_MAX_SOCKETS_PREFIX,
              9_999,
              n ->
                  peer(
                      APACHE_HC5_MAX_SOCKETS_PREFIX + n,
                      Client.APACHE_HC5,
                      ka().maxSockets(n).build(),
                      "Apache HttpClient 5 classic, maxConnPerRoute " + n)),
          bounded(
              APACHE_HC5_MAX_TOTAL_PREFIX,
              9_999,
              n ->
                  peer(
                      APACHE_HC5_MAX_TOTAL_PREFIX + n,
                      Client.APACHE_HC5,
                      ka().maxTotalSockets(n).build(),
                      "Apache HttpClient 5 classic, maxConnTotal " + n + " (STRICT)")),
          fixed(
                  OKHTTP,
                  "OkHttp 4.12 synchronous calls per thread, ConnectionPool(256 idle, 5 min),"
                      + " TCP_NODELAY set; no connection cap")
              .peer(Client.OKHTTP, ka().build()),
          fixed(
                  RAW_SOCKET,
                  "the floor: one selector on the benchmark thread, a keep-alive connection per"
                      + " request in flight, no pool logic")
              .peer(Client.RAW_SOCKET, ka().build()));

  /** A fixed name waiting for its client. */
  private record Fixed(String name, String description) {
    Entry agent(AgentOptions o) {
      return new Entry(
          name, Pattern.compile(Pattern.quote(name)), n -> Strategy.agent(name, o, description));
    }

    Entry peer(Client client, AgentOptions o) {
      return new Entry(
          name,
          Pattern.compile(Pattern.quote(name)),
          n -> Strategy.peer(name, client, o, description));
    }
  }

  private static Fixed fixed(String name, String description) {
    return new Fixed(name, description);
  }

  /** {@code prefix} + a bound N in [1, {@code maxBound}], {@code maxBound} being all nines. */
  private static Entry bounded(String prefix, int maxBound, IntFunction<Strategy> make) {
    String digits = "([1-9][0-9]{0," + (String.valueOf(maxBound).length() - 1) + "})";
    return new Entry(prefix + "N", Pattern.compile(Pattern.quote(prefix) + digits), make);
  }

  private static AgentOptions.Builder ka() {
    return AgentOptions.builder().keepAlive(true);
  }

  private static Strategy agent(String name, AgentOptions o, String description) {
    return new Strategy(name, Client.AGENT, o, o.maxSockets(), o.maxTotalSockets(), description);
  }

  private static Strategy peer(String name, Client client, AgentOptions o, String description) {
    return new Strategy(name, client, o, o.maxSockets(), o.maxTotalSockets(), description);
  }

  /**
   * Parses a row name.
   *
   * @throws IllegalArgumentException naming the value and the known names
   */
  public static Strategy of(String name) {
    Strategy s = lookup(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "strategy must be one of " + knownNames() + ", was '" + name + "'");
    }
    return s;
  }

  /** The known names as an error message lists them, {@code N} standing for a bound. */
  private static String knownNames() {
    return CATALOGUE.stream().map(Entry::form).collect(Collectors.joining(", "));
  }

  private static Strategy lookup(String name) {
    if (name == null) {
      return null;
    }
    for (Entry e : CATALOGUE) {
      Matcher m = e.pattern().matcher(name);
      if (m.matches()) {
        return e.make().apply(m.groupCount() > 0 ? Integer.parseInt(m.group(1)) : 0);
      }
    }
    return null;
  }

  /**
   * Whether a row's client counts the connections it opens (our agent and the floor do; the library
   * peers expose no count, so only a server can count theirs); true for names this catalogue does
   * not know.
   */
  public static boolean countsItsConnections(String row) {
    Strategy s = lookup(row);
    return s == null || s.client() == Client.AGENT || s.client() == Client.RAW_SOCKET;
  }

  /**
   * Whether this row's client speaks TLS, so that it can run with {@code scheme=https}: every
   * client but {@code raw-socket}, the plain-TCP floor.
   */
  public boolean speaksTls() {
    return client != Client.RAW_SOCKET;
  }

  /**
   * @param scheme a benchmark's {@code scheme} parameter
   * @throws IllegalArgumentException naming the scheme and this row when it cannot run over it
   */
  public void requireScheme(String scheme) {
    if ("https".equals(scheme) && !speaksTls()) {
      throw new IllegalArgumentException(
          "scheme https is not for strategy " + name + ", which speaks plain TCP only");
    }
  }

  /**
   * Whether a row of any table (strategy or fault row) is a peer that retries failed requests by
   * its own rules, silently; false for our agent's rows and for unknown names.
   */
  public static boolean retriesSilently(String row) {
    Strategy s = lookup(row);
    return s != null && s.client().retriesSilently();
  }

  /**
   * A row of the stale keep-alive race ({@link FaultBenchmark}): our agent configured relative to
   * the first idle close on the path (the server's, or a middlebox's), or a peer as it comes.
   *
   * @param strategy the client and its options; for our agent's rows, named after the row
   * @param keepAliveHintSeconds what the server advertises in {@code Keep-Alive: timeout=N}; 0 =
   *     nothing
   */
  public record FaultRow(Strategy strategy, int keepAliveHintSeconds) {

    /**
     * @param idleCloseMillis when the path closes an idle connection, ms: the server's idle
     *     timeout, or a middlebox's idle close when that comes first
     * @throws IllegalArgumentException naming the value and the known rows
     */
    public static FaultRow of(String row, long idleCloseMillis) {
      return switch (row) {
        case KEEP_ALIVE -> new FaultRow(Strategy.of(KEEP_ALIVE), 0);
        case FREE_SOCKET_TIMEOUT ->
            new FaultRow(
                agent(
                    row,
                    ka().timeoutMillis(Math.max(1, idleCloseMillis - 50)).build(),
                    "the agent closes free sockets 50 ms before the path would (server or middlebox)"
                        + " (agentkeepalive's freeSocketTimeout idea)"),
                0);
        case KEEP_ALIVE_HINT ->
            new FaultRow(
                agent(
                    row,
                    ka().timeoutMillis(10_000).build(),
                    "the server sends Keep-Alive: timeout=1, which Node's rule reads as 'do not pool'"),
                1);
        case RETRY ->
            new FaultRow(
                agent(
                    row,
                    ka().retryOnStaleSocket(true).build(),
                    "safe retry of idempotent requests on a stale reused socket"),
                0);
        default -> {
          Strategy s = lookup(row);
          if (s == null || s.client() == Client.AGENT) {
            throw new IllegalArgumentException(
                "row must be one of "
                    + String.join(", ", KEEP_ALIVE, FREE_SOCKET_TIMEOUT, KEEP_ALIVE_HINT, RETRY)
                    + " or a peer strategy, was '"
                    + row
                    + "'");
          }
          yield new FaultRow(s, 0);
        }
      };
    }
  }

  private static List<String> jmhDefaults(Class<?> state, String field) {
    try {
      return List.of(state.getDeclaredField(field).getAnnotation(Param.class).value());
    } catch (NoSuchFieldException e) {
      throw new AssertionError(state.getName() + " has no @Param " + field, e);
    }
  }
}
