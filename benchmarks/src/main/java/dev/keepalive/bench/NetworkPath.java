package dev.keepalive.bench;

import dev.keepalive.net.IdleClose;
import dev.keepalive.net.Relay;
import dev.keepalive.net.RelayAnnouncement;
import dev.keepalive.net.RelayCommand;
import dev.keepalive.net.RelayOptions;
import dev.keepalive.net.RelayStats;
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
 * The network between a benchmark's client and the harness server: direct (loopback), or through
 * the relay ({@code dev.keepalive.net}) with a round trip time and, for the faults benchmark, a
 * middlebox that ends idle flows. The relay runs where the server runs: in a JVM of its own
 * (default, so that its threads and GC stay out of the client's process) or in-process.
 *
 * <p>Connections counted by the server are the client's connections: the relay opens exactly one
 * connection to the server per client connection, when it accepts it.
 *
 * <p>Thread-safety: trial state (see the package): started and closed by the trial's setup and
 * teardown; {@link #stats()} and {@link #resetStats()} may be called from benchmark threads.
 */
public abstract class NetworkPath implements AutoCloseable {

  /** What the path adds: a round trip time, and optionally a middlebox's idle close. */
  public record Spec(long rttMillis, long idleCloseMillis, IdleClose idleClose) {
    /** Loopback, nothing added. */
    public static final Spec DIRECT = new Spec(0, 0, IdleClose.FIN);

    public static Spec rtt(long rttMillis) {
      return new Spec(rttMillis, 0, IdleClose.FIN);
    }

    boolean isDirect() {
      return rttMillis == 0 && idleCloseMillis == 0;
    }

    RelayOptions options(List<URI> server) {
      RelayOptions.Builder b =
          RelayOptions.builder()
              .rttMillis(rttMillis)
              .idleCloseMillis(idleCloseMillis)
              .idleClose(idleClose);
      server.forEach(u -> b.to(u.getHost(), u.getPort()));
      return b.build();
    }

    /** "direct", or "RTT 10 ms[, silent idle close after 300 ms]". */
    public String describe() {
      if (isDirect()) {
        return "direct";
      }
      return "RTT "
          + rttMillis
          + " ms"
          + (idleCloseMillis > 0
              ? ", " + idleClose.flagName() + " idle close after " + idleCloseMillis + " ms"
              : "");
    }
  }

  /** The URIs the client sends to: one per server listener, in listener order. */
  public abstract List<URI> uris();

  /** The first URI. */
  public URI uri0() {
    return uris().get(0);
  }

  /** The relay's counters since the last reset, or null on a direct path. */
  public abstract RelayStats stats();

  /** Starts a new counting period of the relay's counters. No-op on a direct path. */
  public abstract void resetStats();

  @Override
  public abstract void close();

  /**
   * @param placement {@code process} (the relay in its own JVM) or {@code inprocess}
   * @param server the server's URIs, one per listener
   * @param spec what the path adds; {@link Spec#DIRECT} starts nothing
   */
  public static NetworkPath start(String placement, List<URI> server, Spec spec) {
    if (spec.isDirect()) {
      return new Direct(server);
    }
    RelayOptions options = spec.options(server);
    // The relay moves bytes, so TLS passes through it unchanged: an https server is reached as
    // https at the relay's address (the certificate names 127.0.0.1, where both listen).
    String scheme = server.get(0).getScheme();
    return switch (placement) {
      case "inprocess" -> new InProcess(Relay.start(options), scheme);
      case "process" -> new ChildProcess(options, scheme);
      default ->
          throw new IllegalArgumentException(
              "server must be process or inprocess, was '" + placement + "'");
    };
  }

  /** The relay's URIs as the client uses them: same host and port, the server's scheme. */
  static List<URI> withScheme(List<URI> relay, String scheme) {
    List<URI> out = new ArrayList<>();
    for (URI u : relay) {
      out.add(URI.create(scheme + u.toString().substring(u.getScheme().length())));
    }
    return List.copyOf(out);
  }

  /** Loopback: the client talks to the server. */
  static final class Direct extends NetworkPath {
    private final List<URI> uris;

    Direct(List<URI> uris) {
      this.uris = List.copyOf(uris);
    }

    @Override
    public List<URI> uris() {
      return uris;
    }

    @Override
    public RelayStats stats() {
      return null;
    }

    @Override
    public void resetStats() {}

    @Override
    public void close() {}
  }

  /** The relay in the benchmark JVM: cheapest to start, but shares its CPU and GC. */
  static final class InProcess extends NetworkPath {
    private final Relay relay;
    private final List<URI> uris;

    InProcess(Relay relay, String scheme) {
      this.relay = relay;
      this.uris = withScheme(relay.uris(), scheme);
    }

    @Override
    public List<URI> uris() {
      return uris;
    }

    @Override
    public RelayStats stats() {
      return relay.stats();
    }

    @Override
    public void resetStats() {
      relay.resetStats();
    }

    @Override
    public void close() {
      relay.close();
    }
  }

  /**
   * The relay started from this JVM's class path in a JVM of its own ({@link RelayChild}), which
   * dies with this one.
   */
  static final class ChildProcess extends NetworkPath {
    private final Process process;
    private final RelayAnnouncement announced;
    private final List<URI> uris;

    ChildProcess(RelayOptions options, String scheme) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  java,
                  "-Xms64m",
                  "-Xmx256m",
                  "-XX:+UseParallelGC",
                  "-D" + ServerChild.PARENT_PID + "=" + ProcessHandle.current().pid(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  RelayChild.class.getName()));
      cmd.addAll(RelayCommand.argsFor(options));
      cmd.addAll(0, CpuPinning.serverPrefix()); // with the server: the client's CPUs stay its own
      ChildProcesses.dieWithThisJvm(); // and the relay with it, even on SIGTERM
      try {
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        try {
          announced = RelayAnnouncement.parse(line);
        } catch (IllegalArgumentException e) {
          process.destroyForcibly();
          throw new IllegalStateException("the relay did not start: " + e.getMessage(), e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the relay JVM", e);
      }
      uris = withScheme(announced.uris(), scheme);
    }

    @Override
    public List<URI> uris() {
      return uris;
    }

    @Override
    public RelayStats stats() {
      return RelayStats.fromJson(control("GET", announced.statsUri()));
    }

    @Override
    public void resetStats() {
      control("POST", announced.statsUri().resolve("stats/reset"));
    }

    private static String control(String method, URI uri) {
      return ChildJvm.control("relay", method, uri);
    }

    @Override
    public void close() {
      ChildJvm.stop(process);
    }
  }
}
