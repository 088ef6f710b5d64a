package dev.keepalive.server;

import dev.keepalive.command.Commands;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code server}: the harness server, standalone; the command of this module's {@link Main} and of
 * {@code benchmarks.jar server}. The flags map onto {@link ServerOptions#builder()} and nothing
 * else checks them: each field is named after the builder property it sets, so when {@link
 * ServerOptions.Builder#build()} rejects a value ({@code port must be in [0, 65535], was 70000})
 * the message is reported under the flag the user typed ({@code --port must be in ...}). Defaults
 * shown by {@code --help} are read from the builder's defaults.
 *
 * <p>Threading: runs on the caller's thread, which it blocks until the JVM shuts down.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    versionProvider = BuildVersion.class,
    sortOptions = false,
    sortSynopsis = false,
    synopsisHeading = "usage: ",
    description = {
      "The harness server, standalone: prints one line with the bound URLs, serves until"
          + " SIGINT/SIGTERM, then stops cleanly.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by a signal",
      "1:a port could not be bound",
      "2:bad usage (the message names the flag)"
    })
public final class ServerCommand implements Callable<Integer> {

  private static final ServerOptions DEFAULTS = ServerOptions.builder().build();

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "address to bind (default ${DEFAULT-VALUE})")
  String host = DEFAULTS.host();

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "first port, listener i binds P+i (default ${DEFAULT-VALUE}: ephemeral)")
  int port = DEFAULTS.port();

  @Option(
      names = "--listeners",
      paramLabel = "N",
      description = "listeners, one origin each (default ${DEFAULT-VALUE})")
  int listeners = DEFAULTS.listeners();

  @Option(
      names = "--idle-timeout-ms",
      paramLabel = "T",
      description = "close a connection idle for T ms; 0 = never (default ${DEFAULT-VALUE})")
  long idleTimeoutMillis = DEFAULTS.idleTimeoutMillis();

  @Option(
      names = "--request-read-timeout-ms",
      paramLabel = "T",
      description =
          "a request's head must arrive within T ms of its first byte, and its body must not"
              + " pause for T ms; else 408 and close. 0 = wait forever (default ${DEFAULT-VALUE})")
  long requestReadTimeoutMillis = DEFAULTS.requestReadTimeoutMillis();

  @Option(
      names = "--max-requests-per-connection",
      paramLabel = "N",
      description = "close after the Nth response; 0 = unlimited (default ${DEFAULT-VALUE})")
  int maxRequestsPerConnection = DEFAULTS.maxRequestsPerConnection();

  @Option(
      names = "--keep-alive-hint-s",
      paramLabel = "N",
      description = "send 'Keep-Alive: timeout=N'; 0 = off (default ${DEFAULT-VALUE})")
  int keepAliveHintSeconds = DEFAULTS.keepAliveHintSeconds();

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description = "Undertow IO threads (default ${DEFAULT-VALUE})")
  int ioThreads = DEFAULTS.ioThreads();

  @Option(
      names = "--worker-threads",
      paramLabel = "N",
      description = "Undertow worker threads (default ${DEFAULT-VALUE})")
  int workerThreads = DEFAULTS.workerThreads();

  @Option(
      names = "--tls",
      description =
          "serve HTTPS on every listener (HTTP/1.1, TLS 1.2/1.3), with a self-signed certificate"
              + " for 127.0.0.1, ::1 and localhost made at start, or --tls-keystore's")
  boolean tls = DEFAULTS.tls();

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "a PKCS#12 keystore with the server's key and certificate")
  java.nio.file.Path tlsKeystore;

  @Option(names = "--tls-password", paramLabel = "P", description = "the keystore's password")
  String tlsPassword;

  @Option(
      names = "--tls-cert-out",
      paramLabel = "FILE",
      description = "write the server's certificate there as PEM, for clients to trust (--ca)")
  java.nio.file.Path tlsCertOut;

  /**
   * The options the flags ask for.
   *
   * @throws ParameterException naming the flag, when the builder rejects its value
   */
  public ServerOptions options() {
    try {
      return ServerOptions.builder()
          .host(host)
          .port(port)
          .listeners(listeners)
          .idleTimeoutMillis(idleTimeoutMillis)
          .requestReadTimeoutMillis(requestReadTimeoutMillis)
          .maxRequestsPerConnection(maxRequestsPerConnection)
          .keepAliveHintSeconds(keepAliveHintSeconds)
          .ioThreads(ioThreads)
          .workerThreads(workerThreads)
          .tls(tls)
          .tlsKeystore(tlsKeystore)
          .tlsPassword(tlsPassword)
          .tlsCertOut(tlsCertOut)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), underFlag(e.getMessage()), e);
    }
  }

  /** {@code port must be ...} becomes {@code --port must be ...}: the builder's words, our flag. */
  private String underFlag(String message) {
    return Commands.underFlag(spec, message);
  }

  /**
   * Starts the server, prints {@code harness-server listening on URL...} and serves until the JVM
   * is asked to stop.
   *
   * @throws ServerStartException when a port cannot be bound
   */
  @Override
  public Integer call() {
    HarnessServer server = HarnessServer.start(options());
    return Commands.serveUntilStopped(
        server,
        "harness-server-shutdown",
        spec.commandLine().getOut(),
        "harness-server listening on "
            + server.uris().stream().map(URI::toString).collect(Collectors.joining(" ")));
  }
}
