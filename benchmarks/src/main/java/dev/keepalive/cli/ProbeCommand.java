package dev.keepalive.cli;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.Request;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code probe}: which connection served each request, and what did it cost? Rounds of requests
 * through one agent configuration ({@link AgentFlags}, {@link RequestFlags}, {@link ProbePlan}),
 * run by {@link ProbeRun}, printed as one JSON object ({@link ProbeJson}) on stdout; diagnostics go
 * to stderr. Nothing is sent unless every flag, URL and plan entry is valid.
 */
@Command(
    name = "probe",
    description = {
      "Which connection served each request, and what did it cost? Runs rounds of requests"
          + " through one agent configuration and prints one JSON object on stdout.",
      "With no agent flag: Node's default agent (Connection: close). Round r starts Kr requests at"
          + " once (request i to URL i mod n), waits until all have ended, then pauses.",
      "Limits: at most "
          + ProbePlan.MAX_REQUESTS
          + " requests in all (one JSON entry each) and "
          + ProbePlan.MAX_ROUNDS
          + " rounds; more is bad usage.",
      ""
    },
    exitCodeList = {
      "0:every request succeeded",
      "1:at least one request failed (see its error in the JSON)",
      "2:bad usage: the message names the flag, the value and what is allowed"
    })
final class ProbeCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentFlags agent;

  @Mixin private RequestFlags request;

  @Option(
      names = "--rounds",
      paramLabel = "K1,K2,..",
      converter = ProbePlan.RoundSizesConverter.class,
      defaultValue = "1",
      description =
          "round r starts Kr requests at once, round-robin over the URLs (default ${DEFAULT-VALUE})")
  private ProbePlan.RoundSizes rounds;

  @Option(
      names = "--pause-ms",
      paramLabel = "N",
      description = "pause between rounds, ms (default ${DEFAULT-VALUE})")
  private long pauseMillis = 20;

  @Option(names = "--include-headers", description = "add each response's headers to its entry")
  private boolean includeHeaders;

  @Option(
      names = "--plan",
      paramLabel = "FILE",
      description = {
        "a JSON plan instead of --rounds and URLs:",
        "{\"rounds\": [{\"urls\": [...], \"pauseMs\": 20}, ...]}; a round starts all its URLs at"
            + " once, in list order"
      })
  private Path plan;

  @Parameters(paramLabel = "URL", arity = "0..*", description = "http:// URLs to request")
  private List<String> urls = new ArrayList<>();

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() throws IOException, InterruptedException {
    for (String url : urls) {
      if (url.startsWith("-")) {
        throw BadUsage.unknownFlag(url, spec.commandLine());
      }
    }
    agent.options(); // bad agent flags are reported before anything else is looked at
    List<ProbePlan.Round> plannedRounds = rounds();
    // one immutable Request per distinct URL, sent as often as the rounds ask (and checked here)
    Map<String, Request> requests = new HashMap<>();
    for (ProbePlan.Round r : plannedRounds) {
      for (String url : r.urls()) {
        requests.computeIfAbsent(url, request::request);
      }
    }
    ProbeRun.Result result;
    try (Agent a = agent.open()) {
      result = ProbeRun.run(a, plannedRounds, requests::get, includeHeaders);
    }
    ProbeJson.write(result, includeHeaders, spec.commandLine().getOut());
    return result.errors() == 0 ? 0 : 1;
  }

  private List<ProbePlan.Round> rounds() {
    try {
      if (plan == null) {
        return ProbePlan.of(rounds, urls, pauseMillis);
      }
      if (!urls.isEmpty() || spec.commandLine().getParseResult().hasMatchedOption("--rounds")) {
        throw new IllegalArgumentException("--plan cannot be combined with URLs or --rounds");
      }
      return ProbePlan.read(plan, pauseMillis);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
