package dev.keepalive.conformance;

import static dev.keepalive.agent.NodeVersion.V20;
import static dev.keepalive.agent.NodeVersion.V22;
import static dev.keepalive.agent.NodeVersion.V24;
import static dev.keepalive.agent.NodeVersion.V26;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The conformance catalogue: the pool rules of {@code docs/node-agent-semantics.md} §2–§11 and
 * every row of its version table (§15), each as a request pattern whose outcome the server can see.
 * A scenario's {@code covers} names the section or row.
 */
public final class Scenarios {

  private Scenarios() {}

  private static final String GUARD =
      "the free-socket data guard is kept on every line: Node 20 reuses a socket that received"
          + " bytes nobody asked for";

  /** Every scenario, in the order they run. */
  public static List<Scenario> all() {
    return List.of(
        // §5–§8: the pool's decisions
        Scenario.named("serialKeepAlive", "§5 pool hit")
            .agent("keepAlive", true)
            .round("/")
            .round("/")
            .round("/")
            .round("/")
            .build(),
        Scenario.named("defaultAgentNeverReuses", "§9 new Agent(): Connection: close")
            .round("/", "/", "/")
            .round("/")
            .build(),
        Scenario.named("noAgent", "§9 agent: false").noAgent().round("/", "/").round("/").build(),
        Scenario.named("maxSocketsQueueThenLifo", "§5 queue, §6 hand-off, lifo")
            .agent("keepAlive", true, "maxSockets", 2)
            .round("/delay/10", "/delay/150", "/delay/10", "/delay/10")
            .round("/", "/")
            .build(),
        Scenario.named("maxSocketsQueueThenFifo", "§5 queue, §6 hand-off, fifo")
            .agent("keepAlive", true, "maxSockets", 2, "scheduling", "fifo")
            .round("/delay/10", "/delay/150", "/delay/10", "/delay/10")
            .round("/", "/")
            .build(),
        Scenario.named("maxFreeSocketsOne", "§6 maxFreeSockets")
            .agent("keepAlive", true, "maxFreeSockets", 1)
            .round("/delay/10", "/delay/80", "/delay/150")
            .round("/")
            .build(),
        Scenario.named("maxTotalSocketsAcrossTwoOriginsWithOvershoot", "§8 overshoot")
            .agent("keepAlive", true, "maxTotalSockets", 2)
            .round("/delay/10", "/delay/120", "1:/delay/10")
            .round("/", "1:/")
            .build(),
        Scenario.named("idleSocketBlocksAnotherOriginUntilItCloses", "§8 idle sockets count")
            .agent("keepAlive", true, "maxTotalSockets", 1, "timeout", 150)
            .round("/")
            .round("1:/")
            .build(),
        Scenario.named("boundedAgentWithoutKeepAliveServesItsQueueThenCloses", "§6 step 2")
            .agent("maxSockets", 1)
            .round("/", "/", "/")
            .round("/")
            .build(),
        Scenario.named("connectionCloseResponses", "§7 close then new socket")
            .agent("keepAlive", true)
            .round("/close")
            .round("/")
            .round("/")
            .build(),
        Scenario.named("requestConnectionCloseHonoured", "§9 user Connection header")
            .agent("keepAlive", true)
            .round(Scenario.Step.of("/").connectionHeader("close"))
            .round("/")
            .build(),
        Scenario.named("requestConnectionCloseIgnoredByTheServer", "§14 user Connection header")
            .agent("keepAlive", true)
            .round(Scenario.Step.of("/ignore-close").connectionHeader("close"))
            .round("/")
            .deviatesFrom(
                "a request that says Connection: close never gives its socket back, whatever"
                    + " the server answers",
                V20,
                V22,
                V24,
                V26)
            .build(),
        // §9: response-side keep-alive
        Scenario.named("http10WithoutKeepAlive", "§9 response side")
            .agent("keepAlive", true)
            .round("/http10")
            .round("/")
            .build(),
        Scenario.named("http10WithKeepAlive", "§9 response side")
            .agent("keepAlive", true)
            .round("/http10ka")
            .round("/")
            .build(),
        Scenario.named("closeDelimitedBody", "§9 response side")
            .agent("keepAlive", true)
            .round("/eof")
            .round("/")
            .build(),
        Scenario.named("chunkedBodyKeepsTheSocket", "§9 response side")
            .agent("keepAlive", true)
            .round("/chunked")
            .round("/")
            .build(),
        Scenario.named("interimResponseIsSkipped", "§9 response side")
            .agent("keepAlive", true)
            .round("/interim")
            .round("/")
            .build(),
        // §10: timeouts and the Keep-Alive hint
        Scenario.named("serverIdleClose", "§11 silent removal")
            .agent("keepAlive", true)
            .pause(300)
            .round("/idle/100")
            .round("/idle/100")
            .round("/idle/100")
            .build(),
        Scenario.named("serverFinOnAnIdleSocket", "§11 silent removal")
            .agent("keepAlive", true)
            .pause(100)
            .round("/fin/20")
            .round("/")
            .build(),
        Scenario.named("agentTimeoutOnFreeSockets", "§10 agent timeout")
            .agent("keepAlive", true, "timeout", 100)
            .pause(250)
            .round("/")
            .round("/", "/")
            .round("/")
            .build(),
        Scenario.named("agentTimeoutDoesNotCutAnActiveRequest", "§10 agent timeout")
            .agent("keepAlive", true, "timeout", 300)
            .round("/delay/600")
            .round("/")
            .build(),
        Scenario.named("keepAliveHintOfOneSecond", "§10 hint")
            .agent("keepAlive", true)
            .round(hint("timeout=1"))
            .round(hint("timeout=1"))
            .build(),
        Scenario.named("keepAliveHintOfZero", "§10 hint")
            .agent("keepAlive", true)
            .round(hint("timeout=0"))
            .round("/")
            .build(),
        Scenario.named("keepAliveHintNotFirstIsIgnored", "§10 hint anchored")
            .agent("keepAlive", true)
            .round(hint("max=5, timeout=1"))
            .round("/")
            .build(),
        Scenario.named("keepAliveHintNotANumberIsIgnored", "§10 hint anchored")
            .agent("keepAlive", true)
            .round(hint("timeout=soon"))
            .round("/")
            .build(),
        Scenario.named("hintIgnoredWithoutAnAgentTimeout", "§15 hint without timeout")
            .agent("keepAlive", true)
            .pause(1300)
            .round(hint("timeout=2"))
            .round(hint("timeout=2"))
            .build(),
        Scenario.named("globalAgentHintShortensItsTimeout", "§15 globalAgent, hint with timeout")
            .globalAgent()
            .pause(1300)
            .round(hint("timeout=2"))
            .round(hint("timeout=2"))
            .build(),
        Scenario.named("globalAgentIsKeepAliveAndLifo", "§15 globalAgent")
            .globalAgent()
            .round("/delay/10", "/delay/120", "/delay/60")
            .round("/")
            .round("/")
            .build(),
        // §15: agentKeepAliveTimeoutBuffer
        Scenario.named("bufferZeroPoolsAOneSecondHint", "§15 agentKeepAliveTimeoutBuffer")
            .agent("keepAlive", true, "agentKeepAliveTimeoutBuffer", 0)
            .round(hint("timeout=1"))
            .round(hint("timeout=1"))
            .linesDiffer()
            .build(),
        Scenario.named("bufferShortensAnAgentTimeout", "§15 agentKeepAliveTimeoutBuffer")
            .agent("keepAlive", true, "timeout", 5000, "agentKeepAliveTimeoutBuffer", 500)
            .round(hint("timeout=1"))
            .pause(800)
            .round(hint("timeout=1"))
            .round("/")
            .linesDiffer()
            .build(),
        Scenario.named("bufferLeavesLessOfALongerHint", "§15 agentKeepAliveTimeoutBuffer")
            .agent("keepAlive", true, "timeout", 5000, "agentKeepAliveTimeoutBuffer", 1600)
            .pause(700)
            .round(hint("timeout=2"))
            .round("/")
            .linesDiffer()
            .build(),
        Scenario.named("bufferAboveTheHintMeansNoReuse", "§15 agentKeepAliveTimeoutBuffer")
            .agent("keepAlive", true, "agentKeepAliveTimeoutBuffer", 3000)
            .round(hint("timeout=2"))
            .round("/")
            .linesDiffer()
            .build(),
        Scenario.named("negativeBufferFallsBackTo1000", "§15 agentKeepAliveTimeoutBuffer")
            .agent("keepAlive", true, "agentKeepAliveTimeoutBuffer", -1)
            .round(hint("timeout=1"))
            .round(hint("timeout=1"))
            .build(),
        // §15: unsolicited bytes
        Scenario.named("strayBytesOnAnIdlePooledSocket", "§15 free-socket data guard")
            .agent("keepAlive", true)
            .pause(300)
            .round("/stray/50")
            .pause(20)
            .round("/")
            .round("/")
            .linesDiffer()
            .deviatesFrom(GUARD, V20)
            .build(),
        Scenario.named("bytesPendingWhenAFreedSocketMeetsTheQueue", "§15 pending-read check")
            .agent("keepAlive", true, "maxSockets", 1)
            .round(Scenario.Step.of("/stray/50").busy(400), Scenario.Step.of("/"))
            .round("/")
            .linesDiffer()
            .deviatesFrom(GUARD, V20)
            .build(),
        Scenario.named("bytesPendingWhenASocketIsPooled", "§15 free-socket data guard")
            .agent("keepAlive", true)
            .round(Scenario.Step.of("/stray/50").busy(400))
            .round("/")
            .linesDiffer()
            .deviatesFrom(GUARD, V20)
            .build(),
        // §15: the request's own timeout; §11: failures
        Scenario.named("requestTimeoutOnANewSocket", "§15 request timeout on a new socket")
            .agent("keepAlive", true)
            .round(Scenario.Step.of("/delay/400").timeout(100))
            .pause(50)
            .round("/")
            .build(),
        Scenario.named("requestTimeoutOnAReusedSocket", "§15 request timeout on a new socket")
            .agent("keepAlive", true, "timeout", 5000)
            .round("/")
            .round(Scenario.Step.of("/delay/400").timeout(100))
            .pause(50)
            .round("/")
            .build(),
        Scenario.named("socketHangUpBeforeAnyResponse", "§11 failures")
            .agent("keepAlive", true)
            .round("/drop")
            .round("/")
            .build(),
        Scenario.named("resetBeforeAnyResponse", "§11 failures")
            .agent("keepAlive", true)
            .round("/reset")
            .round("/")
            .build(),
        // §14: the parser
        Scenario.named("obsFoldInAHeader", "§13 obs-fold")
            .agent("keepAlive", true)
            .round("/fold")
            .round("/")
            .deviatesFrom(
                "RFC 9112 §5.2: a folded header is unfolded; Node's parser rejects it",
                V20,
                V22,
                V24,
                V26)
            .build(),
        Scenario.named("obsFoldInContentLength", "§13 obs-fold")
            .agent("keepAlive", true)
            .round("/fold-cl")
            .round("/")
            .build(),
        // HTTPS: the same pool rules through https.Agent, and TLS session resumption, as the
        // server sees it (full handshake or not). Serial requests only: JSSE's TLS 1.3 client
        // uses a session ticket once, so concurrent new connections could not all resume.
        Scenario.named("httpsSerialKeepAlive", "HTTPS §5 pool hit: one connection, one handshake")
            .https()
            .agent("keepAlive", true)
            .round("/")
            .round("/")
            .round("/")
            .round("/")
            .handshakes("full")
            .build(),
        Scenario.named("httpsGlobalAgent", "HTTPS §15 globalAgent")
            .https()
            .globalAgent()
            .round("/")
            .round("/")
            .round("/")
            .handshakes("full")
            .build(),
        Scenario.named(
                "httpsKeepAliveFalseResumesSessions",
                "HTTPS §9 new Agent(): a connection per request, sessions resumed")
            .https()
            .round("/")
            .round("/")
            .round("/")
            .round("/")
            .handshakes("full", "resumed", "resumed", "resumed")
            .build(),
        Scenario.named(
                "httpsMaxCachedSessionsZeroNeverResumes",
                "HTTPS maxCachedSessions 0: a full handshake per connection")
            .https()
            .agent("maxCachedSessions", 0)
            .round("/")
            .round("/")
            .round("/")
            .handshakes("full", "full", "full")
            .build(),
        Scenario.named("httpsNoAgentNeverResumes", "HTTPS §9 agent: false: no session cache")
            .https()
            .noAgent()
            .round("/")
            .round("/")
            .round("/")
            .handshakes("full", "full", "full")
            .build(),
        Scenario.named(
                "httpsConnectionCloseThenResume", "HTTPS §7 close then new socket, which resumes")
            .https()
            .agent("keepAlive", true)
            .round("/close")
            .round("/")
            .round("/")
            .handshakes("full", "resumed")
            .build());
  }

  /** A response with {@code Keep-Alive: <value>}. */
  private static String hint(String value) {
    return "/hint/" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
