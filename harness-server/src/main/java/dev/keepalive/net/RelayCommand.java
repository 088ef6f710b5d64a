package dev.keepalive.net;

import dev.keepalive.command.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code relay}: the network-path relay, standalone; the command of {@link RelayMain} and of {@code
 * benchmarks.jar relay}. The flags map onto {@link RelayOptions#builder()} and nothing else checks
 * them: each field is named after the builder property it sets, so a value the builder rejects
 * ({@code rttMillis must be in [0, 60000], was -1}) is reported under the flag the user typed
 * ({@code --rtt-ms must be in ...}). Defaults shown by {@code --help} are the builder's. {@link
 * #argsFor} is the way back, options to flags, for a process that starts a relay of its own.
 *
 * <p>Threading: runs on the caller's thread, which it blocks until the JVM shuts down.
 */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    versionProvider = RelayCommand.ModuleVersion.class,
    sortOptions = false,
    sortSynopsis = false,
    synopsisHeading = "usage: ",
    description = {
      "The network-path relay, standalone: listener i relays every connection to the i-th --to,"
          + " adding a round trip time, jitter and a bandwidth limit, and ends idle flows as a"
          + " middlebox does. Prints one line with its URL(s) and its stats URL, relays until"
          + " SIGINT/SIGTERM, then closes every flow.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by a signal",
      "1:a port could not be bound",
      "2:bad usage (the message names the flag)"
    })
public final class RelayCommand implements Callable<Integer> {

  /** The class whose {@code main} runs this command in a JVM of its own. */
  public static final String MAIN_CLASS = RelayMain.class.getName();

  private static final RelayOptions DEFAULTS = RelayOptions.builder().to("127.0.0.1", 1).build();

  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      paramLabel = "HOST:PORT",
      required = true,
      converter = HostPort.class,
      description = "where listener i forwards: give it once per listener, in order")
  List<InetSocketAddress> targets = new ArrayList<>();

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "first port, listener i binds P+i (default ${DEFAULT-VALUE}: ephemeral)")
  int port = DEFAULTS.port();

  @Option(
      names = "--rtt-ms",
      paramLabel = "R",
      description = "round trip time added: R/2 on each direction (default ${DEFAULT-VALUE})")
  long rttMillis = DEFAULTS.rttMillis();

  @Option(
      names = "--jitter-ms",
      paramLabel = "J",
      description =
          "extra delay per direction, uniform in [0, J], never reordering (default"
              + " ${DEFAULT-VALUE})")
  long jitterMillis = DEFAULTS.jitterMillis();

  @Option(
      names = "--bandwidth-mbit",
      paramLabel = "B",
      description =
          "per connection and direction, Mbit/s; 0 = unlimited (default ${DEFAULT-VALUE})")
  double bandwidthMbitPerSecond = DEFAULTS.bandwidthMbitPerSecond();

  @Option(
      names = "--idle-close-ms",
      paramLabel = "T",
      description =
          "end a flow with no byte either way for T ms; 0 = never (default ${DEFAULT-VALUE})")
  long idleCloseMillis = DEFAULTS.idleCloseMillis();

  @Option(
      names = "--idle-close",
      paramLabel = "fin|rst|silent",
      converter = IdleCloseName.class,
      completionCandidates = IdleCloseNames.class,
      description =
          "fin: close both sides; rst: reset both sides; silent: forget the flow, answer the"
              + " client's next bytes with a reset (default fin)")
  IdleClose idleClose = DEFAULTS.idleClose();

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "address to bind (default ${DEFAULT-VALUE})")
  String host = DEFAULTS.host();

  @Option(
      names = "--control-port",
      paramLabel = "C",
      description =
          "port of GET /stats and POST /stats/reset (default ${DEFAULT-VALUE}: ephemeral)")
  int controlPort = DEFAULTS.controlPort();

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description = "selector threads (default ${DEFAULT-VALUE})")
  int ioThreads = DEFAULTS.ioThreads();

  /**
   * The options the flags ask for.
   *
   * @throws ParameterException naming the flag, when the builder rejects its value
   */
  public RelayOptions options() {
    try {
      return RelayOptions.builder()
          .to(targets)
          .port(port)
          .rttMillis(rttMillis)
          .jitterMillis(jitterMillis)
          .bandwidthMbitPerSecond(bandwidthMbitPerSecond)
          .idleCloseMillis(idleCloseMillis)
          .idleClose(idleClose)
          .host(host)
          .controlPort(controlPort)
          .ioThreads(ioThreads)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), underFlag(e.getMessage()), e);
    }
  }

  /** {@code rttMillis must be ...} becomes {@code --rtt-ms must be ...}. */
  private String underFlag(String message) {
    return Commands.underFlag(spec, message);
  }

  /**
   * Starts the relay, prints its {@link RelayAnnouncement} and relays until the JVM is asked to
   * stop.
   *
   * @throws RelayStartException when a port cannot be bound
   */
  @Override
  public Integer call() {
    Relay relay = Relay.start(options());
    return Commands.serveUntilStopped(
        relay, "relay-shutdown", spec.commandLine().getOut(), RelayAnnouncement.of(relay).format());
  }

  /** The flags that ask for {@code o}: how another process starts a relay like it. */
  public static List<String> argsFor(RelayOptions o) {
    List<String> args = new ArrayList<>();
    for (InetSocketAddress t : o.targets()) {
      args.add("--to");
      args.add(t.getHostString() + ":" + t.getPort());
    }
    args.addAll(
        List.of(
            "--port",
            String.valueOf(o.port()),
            "--rtt-ms",
            String.valueOf(o.rttMillis()),
            "--jitter-ms",
            String.valueOf(o.jitterMillis()),
            "--bandwidth-mbit",
            String.valueOf(o.bandwidthMbitPerSecond()),
            "--idle-close-ms",
            String.valueOf(o.idleCloseMillis()),
            "--idle-close",
            o.idleClose().flagName(),
            "--host",
            o.host(),
            "--control-port",
            String.valueOf(o.controlPort()),
            "--io-threads",
            String.valueOf(o.ioThreads())));
    return args;
  }

  /** {@code HOST:PORT} (an IPv6 literal in brackets: {@code [::1]:8080}). */
  static final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      int colon = value.lastIndexOf(':');
      String host = colon > 0 ? value.substring(0, colon) : "";
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new TypeConversionException(
            "must be HOST:PORT with a port in [1, 65535], was '" + value + "'");
      }
      InetSocketAddress a = new InetSocketAddress(host, port);
      if (a.isUnresolved()) {
        throw new TypeConversionException("names a host that does not resolve: '" + value + "'");
      }
      return a;
    }
  }

  /** {@code fin}, {@code rst} or {@code silent}. */
  static final class IdleCloseName implements ITypeConverter<IdleClose> {
    @Override
    public IdleClose convert(String value) {
      try {
        return IdleClose.of(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("must be fin, rst or silent, was '" + value + "'");
      }
    }
  }

  /** The names {@code --help} and bad-usage messages list. */
  static final class IdleCloseNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    IdleCloseNames() {
      for (IdleClose c : IdleClose.values()) {
        add(c.flagName());
      }
    }
  }

  /**
   * {@code keepalive-bench VERSION, commit COMMIT}: this module's build information, which the
   * build writes into the module's classes ({@code build-info.file} in its pom). Read here rather
   * than through the server package's reader, so that this package depends on nothing of ours.
   */
  static final class ModuleVersion implements IVersionProvider {
    static final String BUILD_INFO = "/dev/keepalive/server/build.properties";

    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in = RelayCommand.class.getResourceAsStream(BUILD_INFO)) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String version = p.getProperty("version", "").strip();
      String commit = p.getProperty("commit", "").strip();
      return new String[] {
        "keepalive-bench "
            + (version.isEmpty() ? "(unknown version)" : version)
            + ", "
            + (commit.isEmpty() ? "unknown commit" : "commit " + commit)
      };
    }
  }
}
