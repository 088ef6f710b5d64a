package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.ErrorClass;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import dev.keepalive.net.IdleClose;
import dev.keepalive.net.RelayStats;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' network path: the relay in a JVM of its own between the agent and the harness
 * server, its counters read through its control endpoint, and nothing left behind.
 */
class NetworkPathIT {
  private long socketsBefore;

  @BeforeEach
  void countSockets() {
    socketsBefore = OpenSockets.count();
  }

  @AfterEach
  void noSocketLeft() throws InterruptedException {
    if (socketsBefore < 0) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long now = OpenSockets.count();
    while (now > socketsBefore && System.nanoTime() < deadline) {
      Thread.sleep(10);
      now = OpenSockets.count();
    }
    assertTrue(now <= socketsBefore, socketsBefore + " sockets before, " + now + " after");
  }

  @Test
  void aDirectPathIsTheServerItself() {
    try (TargetServer server = TargetServer.start("inprocess", "", 2);
        NetworkPath path = NetworkPath.start("process", server.uris(), NetworkPath.Spec.DIRECT)) {
      assertEquals(server.uris(), path.uris());
      assertNull(path.stats());
    }
  }

  @Test
  void theRelayInItsOwnJvmAddsTheRoundTripAndCountsFromTheControlEndpoint() throws Exception {
    long rtt = 20;
    try (TargetServer server = TargetServer.start("inprocess", "", 2);
        NetworkPath path = NetworkPath.start("process", server.uris(), NetworkPath.Spec.rtt(rtt));
        Agent agent = Agent.create(AgentOptions.builder().keepAlive(true).build())) {
      assertEquals(2, path.uris().size(), "one relay listener per server listener");
      path.resetStats();
      server.resetStats();
      Response fresh = agent.send(Request.builder(path.uris().get(1)).build());
      Response reused = agent.send(Request.builder(path.uris().get(1)).build());
      assertTrue(fresh.timings().response() >= 2 * rtt, "fresh " + fresh.timings());
      assertTrue(reused.reusedSocket());
      assertTrue(reused.timings().response() >= rtt, "reused " + reused.timings());
      RelayStats s = path.stats();
      assertEquals(1, s.connectionsAccepted());
      assertEquals(1, server.stats().connectionsAccepted(), "the relay's one upstream connection");
      assertTrue(s.bytesToClient() > 0);
    }
  }

  @Test
  void aMiddleboxInItsOwnJvmForgetsIdleFlowsSilently() throws Exception {
    try (TargetServer server = TargetServer.start("inprocess", "", 1, 5_000, 0);
        NetworkPath path =
            NetworkPath.start(
                "process", server.uris(), new NetworkPath.Spec(10, 200, IdleClose.SILENT));
        Agent agent = Agent.create(AgentOptions.builder().keepAlive(true).build())) {
      agent.send(Request.builder(path.uri0()).build());
      Thread.sleep(400);
      try {
        Response r = agent.request(Request.builder(path.uri0()).build()).get(10, TimeUnit.SECONDS);
        throw new AssertionError("expected a reset, got " + r);
      } catch (ExecutionException e) {
        AgentException a = (AgentException) e.getCause();
        assertEquals(ErrorClass.RESET, a.errorClass());
        assertTrue(a.reusedSocket());
      }
      RelayStats s = path.stats();
      assertEquals(1, s.idleCloses().silent());
      assertEquals(1, s.forgottenFlowResets());
    }
  }
}
