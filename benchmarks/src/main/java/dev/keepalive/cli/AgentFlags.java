package dev.keepalive.cli;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.Scheduling;
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

  /**
   * The agent the flags ask for: Node's {@code agent: false}, or one built from them.
   *
   * @throws ParameterException for {@code --no-agent} with another agent flag, or a value the
   *     builder rejects (named by its flag)
   */
  Agent open() {
    AgentOptions options = options();
    return noAgent ? Agent.none() : Agent.create(options);
  }

  /** The options of {@link #open()}'s agent: Node's defaults for {@code --no-agent}. */
  AgentOptions options() {
    if (noAgent) {
      ParseResult parsed = command.commandLine().getParseResult();
      for (OptionSpec o : flags.options()) {
        if (!o.longestName().equals("--no-agent") && parsed.hasMatchedOption(o)) {
          throw new ParameterException(
              command.commandLine(), "--no-agent cannot be combined with agent options");
        }
      }
      return NODE;
    }
    try {
      return AgentOptions.builder()
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
