package dev.keepalive.cli;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.Scheduling;
import dev.keepalive.agent.TlsOptions;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The agent flags of {@code probe}, in Node's words, mapped onto {@link AgentOptions#builder()} and
 * checked by nothing else: each field is named after the builder property it sets, so a value the
 * builder rejects is reported under its flag ({@link BadUsage#underFlag}). The defaults that {@code
 * --help} shows are the builder's, which are Node's.
 */
final class AgentFlags {

  private static final AgentOptions NODE = AgentOptions.defaults();

  @Spec private CommandSpec flags;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = "--no-agent",
      description =
          "a new connection per request, Connection: close (Node's agent: false); takes no other"
              + " agent flag")
  private boolean noAgent;

  @Option(names = "--keep-alive", description = "pool free sockets (Node's keepAlive: true)")
  private boolean keepAlive = NODE.keepAlive();

  @Option(
      names = "--keep-alive-msecs",
      paramLabel = "N",
      description = "TCP keep-alive idle time, ms (default ${DEFAULT-VALUE})")
  private int keepAliveMsecs = NODE.keepAliveMsecs();

  @Option(
      names = "--max-sockets",
      paramLabel = "N",
      description = "sockets per origin, in use plus free (default: unbounded)")
  private int maxSockets = NODE.maxSockets();

  @Option(
      names = "--max-free-sockets",
      paramLabel = "N",
      description = "free sockets kept per origin (default ${DEFAULT-VALUE})")
  private int maxFreeSockets = NODE.maxFreeSockets();

  @Option(
      names = "--max-total-sockets",
      paramLabel = "N",
      description = "open sockets across origins, free ones included (default: unbounded)")
  private int maxTotalSockets = NODE.maxTotalSockets();

  @Option(
      names = "--scheduling",
      paramLabel = "lifo|fifo",
      converter = SchedulingNames.class,
      completionCandidates = SchedulingNames.class,
      description = "which free socket a request takes (default ${DEFAULT-VALUE})")
  private String scheduling = NODE.scheduling().nodeName();

  @Option(
      names = {"--timeout-ms", "--free-socket-timeout-ms"},
      paramLabel = "N",
      description =
          "agent timeout: free sockets idle N ms are closed; 0 = none (default ${DEFAULT-VALUE})."
              + " --free-socket-timeout-ms is agentkeepalive's name for it")
  private long timeoutMillis = NODE.timeoutMillis();

  @Option(
      names = "--retry-on-stale-socket",
      description =
          "retry an idempotent request once on a new connection when a reused socket fails before"
              + " any response byte (off: Node never retries)")
  private boolean retryOnStaleSocket = NODE.retryOnStaleSocket();

  private static final TlsOptions NODE_TLS = TlsOptions.defaults();

  /**
   * The flags of https.Agent's TLS options: allowed with --no-agent, as Node takes them per
   * request.
   */
  private static final java.util.Set<String> TLS_FLAGS =
      java.util.Set.of(
          "--ca",
          "--insecure",
          "--servername",
          "--tls-min-version",
          "--tls-max-version",
          "--max-cached-sessions");

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "trust the certificates of this PEM file instead of the platform's roots")
  private java.nio.file.Path ca;

  @Option(
      names = "--insecure",
      description = "accept any server certificate (Node's rejectUnauthorized: false)")
  private boolean insecure;

  @Option(
      names = "--servername",
      paramLabel = "NAME",
      description = "the SNI name to send (default: the URL's host, none for an IP literal)")
  private String servername = NODE_TLS.servername();

  @Option(
      names = "--tls-min-version",
      paramLabel = "V",
      description = "lowest TLS version: TLSv1.2 or TLSv1.3 (default ${DEFAULT-VALUE})")
  private String minVersion = NODE_TLS.minVersion();

  @Option(
      names = "--tls-max-version",
      paramLabel = "V",
      description = "highest TLS version: TLSv1.2 or TLSv1.3 (default ${DEFAULT-VALUE})")
  private String maxVersion = NODE_TLS.maxVersion();

  @Option(
      names = "--max-cached-sessions",
      paramLabel = "N",
      description =
          "TLS sessions kept for resumption; 0 = every handshake full (default ${DEFAULT-VALUE};"
              + " --no-agent keeps none, as Node's agent: false)")
  private int maxCachedSessions = NODE_TLS.maxCachedSessions();

  /**
   * The agent the flags ask for: Node's {@code agent: false}, or one built from them.
   *
   * @throws ParameterException for {@code --no-agent} with another agent flag, or a value the
   *     builder rejects (named by its flag)
   */
  Agent open() {
    return Agent.create(options());
  }

  /** The options of {@link #open()}'s agent: Node's defaults for {@code --no-agent}. */
  AgentOptions options() {
    if (noAgent) {
      ParseResult parsed = command.commandLine().getParseResult();
      for (OptionSpec o : flags.options()) {
        if (!o.longestName().equals("--no-agent")
            && !TLS_FLAGS.contains(o.longestName())
            && parsed.hasMatchedOption(o)) {
          throw new ParameterException(
              command.commandLine(), "--no-agent cannot be combined with agent options");
        }
      }
      return NODE.toBuilder().tls(tls(true)).build();
    }
    try {
      return AgentOptions.builder()
          .tls(tls(false))
          .keepAlive(keepAlive)
          .keepAliveMsecs(keepAliveMsecs)
          .maxSockets(maxSockets)
          .maxFreeSockets(maxFreeSockets)
          .maxTotalSockets(maxTotalSockets)
          .scheduling(Scheduling.parse(scheduling))
          .timeoutMillis(timeoutMillis)
          .retryOnStaleSocket(retryOnStaleSocket)
          .build();
    } catch (IllegalArgumentException e) {
      throw BadUsage.underFlag(e, flags, command.commandLine());
    }
  }

  /**
   * The TLS options: {@code --no-agent} (Node's {@code agent: false}, an agent per request) keeps
   * no session unless {@code --max-cached-sessions} says otherwise.
   */
  private TlsOptions tls(boolean perRequestAgent) {
    ParseResult parsed = command.commandLine().getParseResult();
    boolean cacheGiven = parsed != null && parsed.hasMatchedOption("--max-cached-sessions");
    try {
      return TlsOptions.builder()
          .ca(ca == null ? java.util.List.of() : TlsOptions.readCertificates(ca))
          .rejectUnauthorized(!insecure)
          .servername(servername)
          .minVersion(minVersion)
          .maxVersion(maxVersion)
          .maxCachedSessions(perRequestAgent && !cacheGiven ? 0 : maxCachedSessions)
          .build();
    } catch (java.io.IOException e) {
      throw new ParameterException(command.commandLine(), "--ca: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw BadUsage.underFlag(e, flags, command.commandLine());
    }
  }

  /** Node's spellings of {@link Scheduling}: the allowed values, and the check of a value. */
  static final class SchedulingNames implements ITypeConverter<String>, Iterable<String> {
    @Override
    public String convert(String value) {
      return Scheduling.parse(value).nodeName();
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Scheduling.values()).map(Scheduling::nodeName).iterator();
    }
  }
}
