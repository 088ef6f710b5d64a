package dev.keepalive.bench;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import dev.keepalive.server.ServerStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the benchmark's requests go: the harness server in a child JVM (default: its allocations
 * and GC stay out of the client's numbers), embedded in the benchmark JVM, or an external URL
 * (server-side counts only when it answers the harness server's {@code /stats}). Server counts are
 * read through the server's uncounted control routes.
 *
 * <p>Thread-safety: trial state (see the package): started and closed by the trial's setup and
 * teardown; {@link #stats()} and {@link #resetStats()} may be called from benchmark threads (each
 * control request has a connection of its own).
 */
public abstract class TargetServer implements AutoCloseable {

  /** Counts read from the server; listeners in listener order. */
  public record Counts(long connectionsAccepted, long requests, List<Long> maxConnectionsOpen) {}

  public abstract List<URI> uris();

  /** The first listener's URI. */
  public URI uri0() {
    return uris().get(0);
  }

  /** Starts a new counting period. No-op for an external target without {@code /stats}. */
  public abstract void resetStats();

  /**
   * The server's counts since the last reset, or null when they cannot be read (an external target
   * that does not answer {@code /stats}).
   */
  public abstract Counts stats();

  /**
   * Where the server runs, for reports: {@code own JVM}, {@code in-process}, or the external URL.
   */
  public abstract String placement();

  @Override
  public abstract void close();

  /**
   * @param placement {@code process} (own JVM) or {@code inprocess}
   * @param target an external {@code http://host:port} (overrides placement), or empty
   */
  public static TargetServer start(String placement, String target, int listeners) {
    return start(placement, target, listeners, 0, 0);
  }

  /**
   * @param idleTimeoutMillis the server closes connections idle this long; 0 = never (the normal
   *     matrix: it must never fire there)
   * @param keepAliveHintSeconds {@code Keep-Alive: timeout=N} on persistent responses; 0 = none
   */
  public static TargetServer start(
      String placement,
      String target,
      int listeners,
      long idleTimeoutMillis,
      int keepAliveHintSeconds) {
    if (target != null && !target.isEmpty()) {
      return new External(URI.create(target.endsWith("/") ? target : target + "/"));
    }
    return switch (placement) {
      case "inprocess" -> new InProcess(listeners, idleTimeoutMillis, keepAliveHintSeconds);
      case "process" -> new ChildProcess(listeners, idleTimeoutMillis, keepAliveHintSeconds);
      default ->
          throw new IllegalArgumentException(
              "server must be process or inprocess, was '" + placement + "'");
    };
  }

  static Counts fromStats(ServerStats s) {
    List<Long> max = new ArrayList<>();
    s.listeners().forEach(l -> max.add(l.maxConnectionsOpen()));
    return new Counts(s.connectionsAccepted(), s.requests(), max);
  }

  /** The embedded server: cheapest to start, but shares the benchmark JVM's CPU, heap and GC. */
  static final class InProcess extends TargetServer {
    private final HarnessServer server;

    InProcess(int listeners, long idleTimeoutMillis, int keepAliveHintSeconds) {
      server =
          ServerOptions.builder()
              .listeners(listeners)
              .idleTimeoutMillis(idleTimeoutMillis)
              .keepAliveHintSeconds(keepAliveHintSeconds)
              .ioThreads(1)
              .start();
    }

    @Override
    public List<URI> uris() {
      return server.uris();
    }

    @Override
    public void resetStats() {
      server.resetStats();
    }

    @Override
    public Counts stats() {
      return fromStats(server.stats());
    }

    @Override
    public String placement() {
      return "in-process";
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** The harness server started from this JVM's own class path in a JVM of its own. */
  static final class ChildProcess extends TargetServer {
    private final Process process;
    private final List<URI> uris = new ArrayList<>();

    ChildProcess(int listeners, long idleTimeoutMillis, int keepAliveHintSeconds) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          List.of(
              java,
              "-Xms256m",
              "-Xmx512m",
              "-XX:+UseParallelGC",
              "-D" + ServerChild.PARENT_PID + "=" + ProcessHandle.current().pid(),
              "-cp",
              System.getProperty("java.class.path"),
              ServerChild.class.getName(),
              "--listeners",
              String.valueOf(listeners),
              "--idle-timeout-ms",
              String.valueOf(idleTimeoutMillis),
              "--keep-alive-hint-s",
              String.valueOf(keepAliveHintSeconds),
              "--io-threads",
              "1");
      ChildProcesses.dieWithThisJvm(); // and the server with it, even on SIGTERM
      try {
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("harness-server listening on ")) {
          process.destroyForcibly();
          throw new IllegalStateException("harness server did not start: " + line);
        }
        for (String u : line.substring("harness-server listening on ".length()).split(" ")) {
          uris.add(URI.create(u));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the harness server JVM", e);
      }
    }

    @Override
    public List<URI> uris() {
      return uris;
    }

    @Override
    public void resetStats() {
      control("POST", "stats/reset");
    }

    @Override
    public Counts stats() {
      return fromStats(ServerStats.fromJson(control("GET", "stats")));
    }

    /** A control request on a connection of its own ({@code /stats} routes are not counted). */
    private String control(String method, String path) {
      return ChildJvm.control("harness server", method, uris.get(0).resolve(path));
    }

    @Override
    public String placement() {
      return "own JVM";
    }

    @Override
    public void close() {
      ChildJvm.stop(process);
    }
  }

  /**
   * A server somewhere else. When it answers {@code GET /stats} with the harness server's JSON (a
   * harness server started elsewhere, e.g. {@code benchmarks.jar server}), its counts are read as
   * from our own; otherwise there are none ({@link #stats()} is null), and that is said once on
   * stderr.
   */
  static final class External extends TargetServer {
    private final URI uri;
    private final boolean counts;

    External(URI uri) {
      this.uri = uri;
      this.counts = answersStats(uri);
    }

    private static boolean answersStats(URI uri) {
      try {
        ServerStats.fromJson(ChildJvm.control("target", "GET", uri.resolve("stats")));
        return true;
      } catch (UncheckedIOException e) {
        System.err.println(
            "keepalive-bench: "
                + uri
                + " does not answer /stats as the harness server does ("
                + e.getMessage()
                + "): no server-side counts; a peer's connections are not counted");
        return false;
      }
    }

    @Override
    public List<URI> uris() {
      return List.of(uri);
    }

    @Override
    public void resetStats() {
      if (counts) {
        ChildJvm.control("target", "POST", uri.resolve("stats/reset"));
      }
    }

    @Override
    public Counts stats() {
      return counts
          ? fromStats(ServerStats.fromJson(ChildJvm.control("target", "GET", uri.resolve("stats"))))
          : null;
    }

    @Override
    public String placement() {
      return "external " + uri + (counts ? " (its /stats counted)" : " (no server-side counts)");
    }

    @Override
    public void close() {}
  }
}
