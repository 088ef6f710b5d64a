package dev.keepalive.server;

import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Standalone harness server: {@code java -jar harness-server.jar [flags]}, also reachable as {@code
 * java -jar benchmarks.jar server [flags]}. Prints one line with the bound URL(s), serves until
 * SIGINT/SIGTERM, then stops cleanly. Exit 2 on a bad flag, 1 when a port cannot be bound.
 */
public final class Main {

  static final String USAGE =
      String.join(
          "\n",
          "usage: server [--host H] [--port P] [--listeners N] [--idle-timeout-ms T]",
          "              [--max-requests-per-connection N] [--keep-alive-hint-s N]",
          "              [--io-threads N] [--worker-threads N]",
          "  --host H                         address to bind (default 127.0.0.1)",
          "  --port P                         first port, listener i binds P+i (default 0: ephemeral)",
          "  --listeners N                    listeners, one origin each (default 1)",
          "  --idle-timeout-ms T              close a connection idle for T ms; 0 = never (default 5000)",
          "  --max-requests-per-connection N  close after the Nth response; 0 = unlimited (default 0)",
          "  --keep-alive-hint-s N            send 'Keep-Alive: timeout=N'; 0 = off (default 0)",
          "  --io-threads N                   Undertow IO threads (default 1)",
          "  --worker-threads N               Undertow worker threads (default 4)");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the server until the JVM is asked to stop; returns the exit code on failure. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    ServerOptions options;
    try {
      options = parse(args);
    } catch (Flags.UsageException e) {
      err.println("server: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("server: " + e.getMessage());
      return 2;
    }
    if (options == null) {
      out.println(USAGE);
      return 0;
    }
    HarnessServer server = HarnessServer.builder().options(options).build();
    try {
      server.start();
    } catch (ServerStartException e) {
      err.println("server: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "harness-server-shutdown"));
    out.println(
        "harness-server listening on "
            + server.uris().stream().map(URI::toString).collect(Collectors.joining(" ")));
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Parses the flags onto {@link ServerOptions#builder()}; null for {@code --help}.
   *
   * @throws Flags.UsageException for an unknown flag or a malformed value
   * @throws IllegalArgumentException for a value the options reject
   */
  public static ServerOptions parse(String[] args) {
    ServerOptions.Builder b = ServerOptions.builder();
    Flags f = new Flags(args);
    while (f.hasNext()) {
      String flag = f.next();
      switch (flag) {
        case "--host" -> b.host(f.value());
        case "--port" -> b.port(f.intValue(0, 65535));
        case "--listeners" -> b.listeners(f.intValue(1, 64));
        case "--idle-timeout-ms" -> b.idleTimeoutMillis(f.longValue(0, Integer.MAX_VALUE));
        case "--max-requests-per-connection" ->
            b.maxRequestsPerConnection(f.intValue(0, Integer.MAX_VALUE));
        case "--keep-alive-hint-s" -> b.keepAliveHintSeconds(f.intValue(0, 86_400));
        case "--io-threads" -> b.ioThreads(f.intValue(1, 256));
        case "--worker-threads" -> b.workerThreads(f.intValue(1, 1024));
        case "-h", "--help" -> {
          return null;
        }
        default -> throw new Flags.UsageException("unknown flag '" + flag + "'");
      }
    }
    return b.build();
  }
}
