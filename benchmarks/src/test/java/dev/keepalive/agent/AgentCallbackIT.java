package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The callback form of {@link Agent#request(Request, java.util.function.BiConsumer)} on a driven
 * agent, as the load loops use it: outcomes arrive once each, on the driving thread, and reuse is
 * the same as with futures — proven from the server's side.
 */
class AgentCallbackIT {

  private static final long STEP = TimeUnit.MILLISECONDS.toNanos(50);

  @Test
  void serialCallbackRequestsShareOneConnection() throws Exception {
    try (HarnessServer s = ServerOptions.builder().start();
        Agent a = Agent.createDriven(AgentOptions.builder().keepAlive(true).build())) {
      Request get = Request.get(s.uri().resolve("/").toString());
      Set<String> serverSeenPorts = new HashSet<>();
      Thread driver = Thread.currentThread();
      for (int i = 0; i < 5; i++) {
        List<Response> got = new ArrayList<>();
        List<Object> failuresAndThreads = new ArrayList<>();
        a.request(
            get,
            (r, e) -> {
              got.add(r);
              failuresAndThreads.add(e);
              failuresAndThreads.add(Thread.currentThread());
            });
        drive(a, () -> !got.isEmpty());
        assertEquals(1, got.size(), "exactly one outcome");
        assertNull(failuresAndThreads.get(0));
        assertEquals(driver, failuresAndThreads.get(1), "called on the driving thread");
        serverSeenPorts.add(got.get(0).header("X-Client-Port"));
        assertEquals(i > 0, got.get(0).reusedSocket());
      }
      assertEquals(1, serverSeenPorts.size(), "the server saw one client port");
      assertEquals(1, s.stats().connectionsAccepted());
    }
  }

  @Test
  void failureArrivesClassifiedAndAThrowingCallbackLeaksNoSocket() throws Exception {
    try (HarnessServer s = ServerOptions.builder().start();
        Agent a = Agent.createDriven(AgentOptions.builder().keepAlive(true).build())) {
      List<AgentException> failures = new ArrayList<>();
      a.request(Request.get(s.uri().resolve("/drop").toString()), (r, e) -> failures.add(e));
      drive(a, () -> !failures.isEmpty());
      assertNotNull(failures.get(0));
      assertEquals(ErrorClass.CLOSED_EARLY, failures.get(0).errorClass());

      boolean[] called = new boolean[1];
      a.request(
          Request.get(s.uri().resolve("/").toString()),
          (r, e) -> {
            called[0] = true;
            throw new IllegalStateException("a caller's bug");
          });
      drive(a, () -> called[0]);
      drive(a, () -> a.stats().origins().values().stream().allMatch(o -> o.sockets() == 0));
      assertEquals(1, a.stats().openSockets(), "the socket went back to the pool regardless");
      assertEquals(1, a.stats().origins().values().iterator().next().freeSockets());
    }
  }

  private static void drive(Agent a, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "no outcome within 10 s");
      a.runOnce(STEP);
    }
  }
}
