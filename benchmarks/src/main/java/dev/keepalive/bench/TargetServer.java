package dev.keepalive.bench;

import dev.keepalive.agent.TlsOptions;
import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import dev.keepalive.server.ServerStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

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

  /**
   * Counts read from the server; listeners in listener order.
   *
   * @param tlsFullHandshakes over https, the full TLS handshakes the server made (the others of
   *     {@code connectionsAccepted} resumed a session); null over plain http
   */
  public record Counts(
      long connectionsAccepted,
      long requests,
      List<Long> maxConnectionsOpen,
      Long tlsFullHandshakes) {}

  /** The schemes a benchmark's {@code scheme} parameter takes. */
  public static final List<String> SCHEMES = List.of("http", "https");

  public abstract List<URI> uris();

  /** The first listener's URI. */
  public URI uri0() {
    return uris().get(0);
  }

  /**
   * What a client must trust to talk to this server: over https, the harness server's own
   * certificate; the platform's roots otherwise.
   */
  public ServerTrust trust() {
    return ServerTrust.PLATFORM;
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
    return start(placement, target, listeners, 0, 0, false);
  }

  /**
   * @param scheme {@code http} or {@code https}: with https the harness server serves TLS with a
   *     self-signed certificate made at its start, which {@link #trust()} then holds; an external
   *     target must have this scheme
   * @throws IllegalArgumentException naming a scheme that is neither, or an external target of the
   *     other scheme
   */
  public static TargetServer start(String placement, String target, int listeners, String scheme) {
    if (!SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException(
          "scheme must be one of " + String.join(", ", SCHEMES) + ", was '" + scheme + "'");
    }
    if (target != null && !target.isEmpty() && !target.startsWith(scheme + "://")) {
      throw new IllegalArgumentException(
          "target must be a "
              + scheme
              + ":// URL with scheme "
              + scheme
              + ", was '"
              + target
              + "'");
    }
    return start(placement, target, listeners, 0, 0, scheme.equals("https"));
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
    return start(placement, target, listeners, idleTimeoutMillis, keepAliveHintSeconds, false);
  }

  private static TargetServer start(
      String placement,
      String target,
      int listeners,
      long idleTimeoutMillis,
      int keepAliveHintSeconds,
      boolean tls) {
    if (target != null && !target.isEmpty()) {
      return new External(URI.create(target.endsWith("/") ? target : target + "/"));
    }
    return switch (placement) {
      case "inprocess" -> new InProcess(listeners, idleTimeoutMillis, keepAliveHintSeconds, tls);
      case "process" -> new ChildProcess(listeners, idleTimeoutMillis, keepAliveHintSeconds, tls);
      default ->
          throw new IllegalArgumentException(
              "server must be process or inprocess, was '" + placement + "'");
    };
  }

  static Counts fromStats(ServerStats s) {
    List<Long> max = new ArrayList<>();
    s.listeners().forEach(l -> max.add(l.maxConnectionsOpen()));
    return new Counts(s.connectionsAccepted(), s.requests(), max, s.tlsFullHandshakes());
  }

  /** The embedded server: cheapest to start, but shares the benchmark JVM's CPU, heap and GC. */
  static final class InProcess extends TargetServer {
    private final HarnessServer server;
    private final ServerTrust trust;

    InProcess(int listeners, long idleTimeoutMillis, int keepAliveHintSeconds, boolean tls) {
      server =
          ServerOptions.builder()
              .listeners(listeners)
              .idleTimeoutMillis(idleTimeoutMillis)
              .keepAliveHintSeconds(keepAliveHintSeconds)
              .ioThreads(1)
              .tls(tls)
              .start();
      trust = tls ? new ServerTrust(List.of(server.certificate())) : ServerTrust.PLATFORM;
    }

    @Override
    public ServerTrust trust() {
      return trust;
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
    private final ServerTrust trust;
    private final SSLContext controlTls;

    ChildProcess(int listeners, long idleTimeoutMillis, int keepAliveHintSeconds, boolean tls) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          new ArrayList<>(
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
                  "1"));
      cmd.addAll(0, CpuPinning.serverPrefix()); // the server's CPUs, when the run pins
      Path certFile = null;
      Process started = null;
      ChildProcesses.dieWithThisJvm(); // and the server with it, even on SIGTERM
      try {
        if (tls) {
          // the server writes its certificate before it announces its URIs
          certFile = Files.createTempFile("keepalive-server-cert", ".pem");
          cmd.addAll(List.of("--tls", "--tls-cert-out", certFile.toString()));
        }
        started = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("harness-server listening on ")) {
          throw new IllegalStateException("harness server did not start: " + line);
        }
        for (String u : line.substring("harness-server listening on ".length()).split(" ")) {
          uris.add(URI.create(u));
        }
        trust = tls ? new ServerTrust(TlsOptions.readCertificates(certFile)) : ServerTrust.PLATFORM;
        controlTls = tls ? trust.sslContext() : null;
        process = started;
      } catch (IOException | RuntimeException e) {
        if (started != null) {
          started.destroyForcibly();
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new UncheckedIOException("cannot start the harness server JVM", (IOException) e);
      } finally {
        deleteIfAny(certFile);
      }
    }

    private static void deleteIfAny(Path file) {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + file, e);
        }
      }
    }

    @Override
    public ServerTrust trust() {
      return trust;
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
      return ChildJvm.control("harness server", method, uris.get(0).resolve(path), controlTls);
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
