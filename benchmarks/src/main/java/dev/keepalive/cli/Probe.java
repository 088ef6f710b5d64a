package dev.keepalive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.BodyMode;
import dev.keepalive.agent.Header;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import dev.keepalive.agent.Scheduling;
import dev.keepalive.agent.Timings;
import dev.keepalive.server.Flags;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code probe}: which connection served each request, and what did it cost? Runs rounds of
 * requests through one agent configuration, prints a JSON object (docs/design.md) on stdout. Exit 0
 * when every request succeeded, 1 when one failed, 2 on bad usage.
 */
public final class Probe {

  static final String USAGE =
      String.join(
          "\n",
          "usage: probe [--no-agent] [--keep-alive] [--keep-alive-msecs N] [--max-sockets N]",
          "             [--max-free-sockets N] [--max-total-sockets N] [--scheduling lifo|fifo]",
          "             [--timeout-ms N] [--free-socket-timeout-ms N] [--retry-on-stale-socket]",
          "             [--request-timeout-ms N] [--rounds K1,K2,..] [--pause-ms N]",
          "             [--method M] [--header 'Name: value']... [--include-headers]",
          "             (--plan FILE | URL [URL...])",
          "  --no-agent               a new connection per request, Connection: close (Node's agent: false)",
          "  --keep-alive             pool free sockets (Node's keepAlive: true)",
          "  --keep-alive-msecs N     TCP keep-alive idle time, ms (default 1000)",
          "  --max-sockets N          sockets per origin (default unbounded)",
          "  --max-free-sockets N     free sockets kept per origin (default 256)",
          "  --max-total-sockets N    open sockets across origins, free ones included (default unbounded)",
          "  --scheduling lifo|fifo   which free socket a request takes (default lifo)",
          "  --timeout-ms N           agent timeout: free sockets idle N ms are closed (default none)",
          "  --free-socket-timeout-ms N  the same (agentkeepalive's name): the agent timeout applies to free sockets",
          "  --retry-on-stale-socket  retry an idempotent request once on a new connection when a reused socket",
          "                           fails before any response byte (off: Node never retries)",
          "  --request-timeout-ms N   deadline of one whole request, queue included (default 30000)",
          "  --rounds K1,K2,..        round r starts Kr requests at once, round-robin over the URLs (default 1)",
          "  --pause-ms N             pause between rounds (default 20)",
          "  --method M               request method (default GET)",
          "  --header 'Name: value'   add a request header (repeatable)",
          "  --include-headers        add each response's headers to its entry",
          "  --plan FILE              JSON plan: {\"rounds\": [{\"urls\": [...], \"pauseMs\": 20}, ...]}");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int MAX_ROUND_REQUESTS = 100_000;
  private static final int MAX_ROUNDS = 10_000;

  /** One round: the URLs its requests go to, in issue order, and the pause after it. */
  record Round(List<String> urls, long pauseMillis) {}

  /** What the command line asked for. */
  record Plan(
      AgentOptions options,
      boolean noAgent,
      long requestTimeoutMillis,
      String method,
      List<Header> headers,
      boolean includeHeaders,
      List<Round> rounds) {}

  private Probe() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Plan plan;
    try {
      plan = parse(args);
    } catch (Flags.UsageException | IllegalArgumentException e) {
      err.println("probe: " + e.getMessage());
      return 2;
    }
    if (plan == null) {
      out.println(USAGE);
      return 0;
    }
    try {
      ObjectNode result = execute(plan);
      out.println(JSON.writeValueAsString(result));
      return result.get("errors").asLong() == 0 ? 0 : 1;
    } catch (IOException e) {
      err.println("probe: cannot write the result: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("probe: interrupted");
      return 1;
    }
  }

  static Plan parse(String[] args) {
    AgentOptions.Builder options = AgentOptions.builder();
    boolean noAgent = false;
    boolean keepAlive = false;
    long requestTimeout = 30_000;
    List<Long> rounds = List.of(1L);
    long pause = 20;
    String method = "GET";
    List<Header> headers = new ArrayList<>();
    boolean includeHeaders = false;
    String planFile = null;
    boolean roundsGiven = false;
    List<String> urls = new ArrayList<>();
    Flags f = new Flags(args);
    while (f.hasNext()) {
      String flag = f.next();
      switch (flag) {
        case "--no-agent" -> {
          f.noValue();
          noAgent = true;
        }
        case "--keep-alive" -> {
          f.noValue();
          keepAlive = true;
        }
        case "--keep-alive-msecs" -> options.keepAliveMsecs(f.intValue(1, Integer.MAX_VALUE));
        case "--max-sockets" -> options.maxSockets(f.intValue(1, Integer.MAX_VALUE));
        case "--max-free-sockets" -> options.maxFreeSockets(f.intValue(1, Integer.MAX_VALUE));
        case "--max-total-sockets" -> options.maxTotalSockets(f.intValue(1, Integer.MAX_VALUE));
        case "--scheduling" -> {
          String v = f.value();
          try {
            options.scheduling(Scheduling.parse(v));
          } catch (IllegalArgumentException e) {
            throw new Flags.UsageException("--scheduling must be lifo or fifo, was '" + v + "'");
          }
        }
        case "--timeout-ms", "--free-socket-timeout-ms" ->
            options.timeoutMillis(f.longValue(1, Integer.MAX_VALUE));
        case "--retry-on-stale-socket" -> {
          f.noValue();
          options.retryOnStaleSocket(true);
        }
        case "--request-timeout-ms" -> requestTimeout = f.longValue(1, Integer.MAX_VALUE);
        case "--rounds" -> {
          rounds = f.longList(1, MAX_ROUND_REQUESTS);
          roundsGiven = true;
          if (rounds.size() > MAX_ROUNDS) {
            throw new Flags.UsageException(
                "--rounds takes at most " + MAX_ROUNDS + " rounds, was " + rounds.size());
          }
        }
        case "--pause-ms" -> pause = f.longValue(0, 600_000);
        case "--method" -> method = f.value();
        case "--header" -> headers.add(header(f.value()));
        case "--include-headers" -> {
          f.noValue();
          includeHeaders = true;
        }
        case "--plan" -> planFile = f.value();
        case "-h", "--help" -> {
          return null;
        }
        default -> {
          if (flag.startsWith("-")) {
            throw new Flags.UsageException("unknown flag '" + flag + "'");
          }
          urls.add(flag);
        }
      }
    }
    if (noAgent && hasAgentFlag(args)) {
      throw new Flags.UsageException("--no-agent cannot be combined with agent options");
    }
    options.keepAlive(keepAlive);
    List<Round> plan;
    if (planFile != null) {
      if (!urls.isEmpty() || roundsGiven) {
        throw new Flags.UsageException("--plan cannot be combined with URLs or --rounds");
      }
      plan = readPlan(planFile, pause);
    } else {
      if (urls.isEmpty()) {
        throw new Flags.UsageException("give at least one URL, or --plan FILE");
      }
      plan = new ArrayList<>();
      for (long k : rounds) {
        List<String> roundUrls = new ArrayList<>();
        for (int i = 0; i < k; i++) {
          roundUrls.add(urls.get(i % urls.size()));
        }
        plan.add(new Round(roundUrls, pause));
      }
    }
    // validate every URL, method and header up front: nothing is sent if any is bad
    for (Round r : plan) {
      for (String url : r.urls()) {
        try {
          buildRequest(url, method, headers, requestTimeout);
        } catch (IllegalArgumentException e) {
          throw new Flags.UsageException(e.getMessage());
        }
      }
    }
    AgentOptions built = noAgent ? AgentOptions.defaults() : options.build();
    return new Plan(
        built, noAgent, requestTimeout, method, List.copyOf(headers), includeHeaders, plan);
  }

  private static boolean hasAgentFlag(String[] args) {
    for (String a : args) {
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      switch (name) {
        case "--keep-alive",
            "--keep-alive-msecs",
            "--max-sockets",
            "--max-free-sockets",
            "--max-total-sockets",
            "--scheduling",
            "--timeout-ms",
            "--free-socket-timeout-ms",
            "--retry-on-stale-socket" -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  private static Header header(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0) {
      throw new Flags.UsageException("--header must be 'Name: value', was '" + value + "'");
    }
    return new Header(value.substring(0, colon).trim(), value.substring(colon + 1).trim());
  }

  private static List<Round> readPlan(String file, long defaultPause) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new Flags.UsageException(
          "--plan " + file + ": cannot read a JSON plan: " + oneLine(e.getMessage()));
    }
    JsonNode rounds = root == null ? null : root.get("rounds");
    if (rounds == null || !rounds.isArray() || rounds.isEmpty()) {
      throw new Flags.UsageException("--plan " + file + ": needs a non-empty \"rounds\" array");
    }
    if (rounds.size() > MAX_ROUNDS) {
      throw new Flags.UsageException(
          "--plan " + file + ": at most " + MAX_ROUNDS + " rounds, was " + rounds.size());
    }
    List<Round> out = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i++) {
      JsonNode r = rounds.get(i);
      JsonNode urls = r.get("urls");
      if (urls == null || !urls.isArray() || urls.isEmpty() || urls.size() > MAX_ROUND_REQUESTS) {
        throw new Flags.UsageException(
            "--plan "
                + file
                + ": rounds["
                + i
                + "].urls must be 1.."
                + MAX_ROUND_REQUESTS
                + " URL strings");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode u : urls) {
        if (!u.isTextual()) {
          throw new Flags.UsageException(
              "--plan " + file + ": rounds[" + i + "].urls must hold strings, was " + u);
        }
        list.add(u.asText());
      }
      long pause = defaultPause;
      JsonNode p = r.get("pauseMs");
      if (p != null) {
        if (!p.canConvertToLong() || p.asLong() < 0 || p.asLong() > 600_000) {
          throw new Flags.UsageException(
              "--plan " + file + ": rounds[" + i + "].pauseMs must be in [0, 600000], was " + p);
        }
        pause = p.asLong();
      }
      out.add(new Round(list, pause));
    }
    return out;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private static Request buildRequest(
      String url, String method, List<Header> headers, long timeoutMillis) {
    Request.Builder b =
        Request.builder(url).method(method).timeoutMillis(timeoutMillis).bodyMode(BodyMode.DIGEST);
    for (Header h : headers) {
      b.header(h.name(), h.value());
    }
    return b.build();
  }

  static ObjectNode execute(Plan plan) throws InterruptedException {
    ArrayNode perRequest = JSON.createArrayNode();
    long ok = 0;
    long errors = 0;
    AgentStats stats;
    try (Agent agent = plan.noAgent() ? Agent.none() : Agent.create(plan.options())) {
      for (int round = 0; round < plan.rounds().size(); round++) {
        Round r = plan.rounds().get(round);
        List<Request> requests = new ArrayList<>(r.urls().size());
        for (String url : r.urls()) {
          requests.add(
              buildRequest(url, plan.method(), plan.headers(), plan.requestTimeoutMillis()));
        }
        // one loop step for the whole round, as Node issuing them in one tick
        List<CompletableFuture<Response>> futures = agent.requestAll(requests);
        for (int i = 0; i < futures.size(); i++) {
          ObjectNode entry =
              entry(round, i, r.urls().get(i), futures.get(i), plan.includeHeaders());
          if (entry.get("error").isNull()) {
            ok++;
          } else {
            errors++;
          }
          perRequest.add(entry);
        }
        if (round < plan.rounds().size() - 1 && r.pauseMillis() > 0) {
          Thread.sleep(r.pauseMillis());
        }
      }
      stats = agent.stats();
    }
    ObjectNode result = JSON.createObjectNode();
    result.put("requests", ok + errors);
    result.put("ok", ok);
    result.put("errors", errors);
    result.put("connectionsOpened", stats.createSocketCount());
    result.set("perRequest", perRequest);
    result.set("stats", statsJson(stats));
    return result;
  }

  private static ObjectNode entry(
      int round, int index, String url, CompletableFuture<Response> f, boolean withHeaders)
      throws InterruptedException {
    ObjectNode e = JSON.createObjectNode();
    e.put("round", round);
    e.put("index", index);
    e.put("url", url);
    try {
      Response r = f.get();
      e.put("status", r.status());
      e.put("bodyLength", r.bodyLength());
      e.put("bodySha256", r.bodySha256());
      e.put("localPort", r.localPort());
      e.put("reusedSocket", r.reusedSocket());
      Timings t = r.timings();
      ObjectNode tn = e.putObject("timings");
      tn.put("socket", round3(t.socket()));
      tn.put("lookup", round3(t.lookup()));
      tn.put("connect", round3(t.connect()));
      tn.put("response", round3(t.response()));
      tn.put("end", round3(t.end()));
      e.putNull("error");
      if (withHeaders) {
        ArrayNode hs = e.putArray("headers");
        for (Header h : r.headers()) {
          hs.addArray().add(h.name()).add(h.value());
        }
      }
    } catch (ExecutionException ex) {
      AgentException a = (AgentException) ex.getCause();
      e.putNull("status");
      if (a.localPort() > 0) {
        e.put("localPort", a.localPort());
      } else {
        e.putNull("localPort");
      }
      e.put("reusedSocket", a.reusedSocket());
      e.putNull("timings");
      ObjectNode err = e.putObject("error");
      err.put("class", a.errorClass().wireName());
      err.put("message", a.getMessage());
    }
    return e;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static ObjectNode statsJson(AgentStats s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("createSocketCount", s.createSocketCount());
    n.put("createSocketErrorCount", s.createSocketErrorCount());
    n.put("closeSocketCount", s.closeSocketCount());
    n.put("errorSocketCount", s.errorSocketCount());
    n.put("timeoutSocketCount", s.timeoutSocketCount());
    n.put("requestCount", s.requestCount());
    n.put("reusedRequestCount", s.reusedRequestCount());
    n.put("retryCount", s.retryCount());
    return n;
  }
}
