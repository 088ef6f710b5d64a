package dev.keepalive.conformance;

import dev.keepalive.agent.NodeVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request pattern, run the same way through Node and through our agent: an agent configured
 * with Node's option names, rounds of requests issued at once (in one tick), each round waited for
 * and followed by a pause. Built with {@link #named}; immutable once in {@link Scenarios}.
 */
public final class Scenario {

  /** Which agent the requests go through. */
  enum AgentKind {
    /** {@code new http.Agent(options)}. */
    NEW,
    /** {@code http.globalAgent}: what a request without an agent option gets. */
    GLOBAL,
    /** {@code agent: false}: a fresh default agent per request. */
    NONE
  }

  /**
   * One request: the listener of the scenario it goes to (its origin), the path's directives (see
   * {@link ScenarioServer}), a request timeout (Node's {@code timeout} option with a {@code
   * 'timeout'} listener that destroys the request; ours {@code Request.timeoutMillis}), work done
   * synchronously when the response has ended, and an optional {@code Connection} header.
   */
  record Step(
      int origin, String directives, long timeoutMillis, long busyMillis, String connection) {

    /** {@code "/path"} for origin 0, {@code "1:/path"} for origin 1. */
    static Step of(String spec) {
      int origin = spec.startsWith("1:") ? 1 : 0;
      return new Step(origin, origin == 1 ? spec.substring(2) : spec, 0, 0, null);
    }

    Step timeout(long millis) {
      return new Step(origin, directives, millis, busyMillis, connection);
    }

    Step busy(long millis) {
      return new Step(origin, directives, timeoutMillis, millis, connection);
    }

    Step connectionHeader(String value) {
      return new Step(origin, directives, timeoutMillis, busyMillis, value);
    }

    /** The request path for request {@code index} of round {@code round}. */
    String path(int round, int index) {
      return "/" + round + "." + index + (directives.equals("/") ? "" : directives);
    }
  }

  /** Requests issued at once, then a pause counted from the end of the round's last request. */
  record Round(List<Step> steps, long pauseMillis) {}

  final String name;
  final String covers;
  final AgentKind kind;
  final Map<String, Object> nodeOptions;
  final List<Round> rounds;
  final Map<NodeVersion, String> deviations;
  final boolean linesDiffer;
  final boolean https;
  final List<String> handshakes;

  private Scenario(Builder b) {
    this.name = b.name;
    this.covers = b.covers;
    this.kind = b.kind;
    this.nodeOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodeOptions));
    this.rounds = List.copyOf(b.rounds);
    this.deviations = Collections.unmodifiableMap(new EnumMap<>(b.deviations));
    this.linesDiffer = b.linesDiffer;
    this.https = b.https;
    this.handshakes = List.copyOf(b.handshakes);
  }

  /** Starts a scenario; {@code covers} names the behaviour (and table row) it checks. */
  static Builder named(String name, String covers) {
    return new Builder(name, covers);
  }

  public String name() {
    return name;
  }

  /** The behaviour it checks, as the docs' tables name it. */
  public String covers() {
    return covers;
  }

  /**
   * Where our agent deliberately differs from this Node line on this scenario (why), or null: a
   * documented deviation, expected to show as a difference.
   */
  public String deviation(NodeVersion version) {
    return deviations.get(version);
  }

  /** Whether Node's own lines answer this scenario differently (a version-dependent row). */
  public boolean linesDiffer() {
    return linesDiffer;
  }

  /**
   * Whether the scenario runs over HTTPS: Node's {@code https.Agent} (and {@code https.globalAgent}
   * or {@code agent: false} with {@code https.get}) with {@code ca} set to the scenario server's
   * certificate, ours with {@code TlsOptions.ca}; the server also records which connections made a
   * full TLS handshake and which resumed a session.
   */
  public boolean https() {
    return https;
  }

  /**
   * Over HTTPS, the TLS handshake the server must see on each connection, in the order of the
   * trace's connection names (A, B…): {@code full} or {@code resumed}. Both Node's trace and ours
   * must show exactly these, so a resumption that silently stops on both sides still fails.
   */
  public List<String> handshakes() {
    return handshakes;
  }

  /** The trace lines {@link #handshakes()} expects: {@code tls A full}, {@code tls B resumed}… */
  public List<String> expectedHandshakeLines() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < handshakes.size(); i++) {
      lines.add("tls " + (char) ('A' + i) + " " + handshakes.get(i));
    }
    return lines;
  }

  /** The number of origins (listeners) the scenario's requests go to. */
  int origins() {
    int n = 1;
    for (Round r : rounds) {
      for (Step s : r.steps) {
        n = Math.max(n, s.origin + 1);
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Collects a scenario's parts; {@link #build()} checks there is something to run. */
  static final class Builder {
    private final String name;
    private final String covers;
    private AgentKind kind = AgentKind.NEW;
    private final Map<String, Object> nodeOptions = new LinkedHashMap<>();
    private final List<Round> rounds = new ArrayList<>();
    private final Map<NodeVersion, String> deviations = new EnumMap<>(NodeVersion.class);
    private boolean linesDiffer;
    private boolean https;
    private final List<String> handshakes = new ArrayList<>();
    private long pauseMillis = 20;

    private Builder(String name, String covers) {
      this.name = name;
      this.covers = covers;
    }

    /** {@code new http.Agent({...})} with options as name, value pairs, in Node's names. */
    Builder agent(Object... nameValue) {
      for (int i = 0; i < nameValue.length; i += 2) {
        nodeOptions.put((String) nameValue[i], nameValue[i + 1]);
      }
      return this;
    }

    /** {@code http.globalAgent} (Node's own instance; our {@code AgentOptions.globalAgent()}). */
    Builder globalAgent() {
      kind = AgentKind.GLOBAL;
      return this;
    }

    /** {@code agent: false}. */
    Builder noAgent() {
      kind = AgentKind.NONE;
      return this;
    }

    /** The pause after each round added from here on, ms (default 20). */
    Builder pause(long millis) {
      pauseMillis = millis;
      return this;
    }

    /** A round of requests, each {@code "/directives"} or {@code "1:/directives"}. */
    Builder round(String... specs) {
      List<Step> steps = new ArrayList<>();
      for (String s : specs) {
        steps.add(Step.of(s));
      }
      rounds.add(new Round(steps, pauseMillis));
      return this;
    }

    /** A round of requests with options of their own. */
    Builder round(Step... steps) {
      rounds.add(new Round(List.of(steps), pauseMillis));
      return this;
    }

    /** Over HTTPS, with {@code ca} set to the server's certificate (see {@link #https()}). */
    Builder https() {
      https = true;
      return this;
    }

    /** The handshake expected per connection, {@code full} or {@code resumed} (HTTPS only). */
    Builder handshakes(String... perConnection) {
      for (String h : perConnection) {
        if (!h.equals("full") && !h.equals("resumed")) {
          throw new IllegalArgumentException(name + ": handshake must be full or resumed: " + h);
        }
        handshakes.add(h);
      }
      return this;
    }

    /** Node's lines answer this scenario differently. */
    Builder linesDiffer() {
      linesDiffer = true;
      return this;
    }

    /** Our agent deliberately differs from {@code versions} here, for {@code why}. */
    Builder deviatesFrom(String why, NodeVersion... versions) {
      for (NodeVersion v : versions) {
        deviations.put(v, why);
      }
      return this;
    }

    Scenario build() {
      if (rounds.isEmpty()) {
        throw new IllegalStateException(name + " has no rounds");
      }
      if (https == handshakes.isEmpty()) {
        throw new IllegalStateException(
            name + ": an HTTPS scenario states its handshakes, a plain one states none");
      }
      return new Scenario(this);
    }
  }
}
