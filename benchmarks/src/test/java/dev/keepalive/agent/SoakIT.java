package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak ({@code -Dsoak.seconds}, default 45): random bursts and pauses against a server
 * that closes connections idle for 100 ms and after every 5th request, through an agent with tight
 * bounds, cycling through every pool state (queue hand-off, pooling, free-socket timeout, server
 * close of a free socket, the stale race, overshoot across two origins). Nothing may be lost, every
 * failure must be one of the race's classes, and the socket count must stay bounded and return to
 * where it started.
 */
class SoakIT {

  @Test
  void everyPoolStateUnderServerClosesLosesNothingAndLeaksNoSocket() throws Exception {
    long seconds = Long.getLong("soak.seconds", 45);
    long socketsBefore = SocketFds.count();
    SplittableRandom random = new SplittableRandom(42);
    long issued = 0;
    long ok = 0;
    Map<ErrorClass, Long> errors = new EnumMap<>(ErrorClass.class);
    long maxSockets = 0;
    try (HarnessServer server =
            ServerOptions.builder()
                .listeners(2)
                .idleTimeoutMillis(100)
                .maxRequestsPerConnection(5)
                .start();
        Agent agent =
            Agent.create(
                AgentOptions.builder()
                    .keepAlive(true)
                    .maxSockets(4)
                    .maxFreeSockets(2)
                    .maxTotalSockets(6)
                    .timeoutMillis(150)
                    .build())) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        int burst = 1 + random.nextInt(12);
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
          String path =
              random.nextInt(10) == 0
                  ? "/bytes/20000"
                  : random.nextInt(10) == 0 ? "/chunked/3000" : "/";
          requests.add(
              Request.builder(server.uris().get(random.nextInt(2)).resolve(path))
                  .timeoutMillis(5_000)
                  .bodyMode(BodyMode.COUNT)
                  .build());
        }
        issued += burst;
        for (CompletableFuture<Response> f : agent.requestAll(requests)) {
          try {
            f.get(10, TimeUnit.SECONDS);
            ok++;
          } catch (ExecutionException e) {
            errors.merge(((AgentException) e.getCause()).errorClass(), 1L, Long::sum);
          }
        }
        maxSockets = Math.max(maxSockets, SocketFds.count());
        int pause =
            switch (random.nextInt(4)) {
              case 0 -> 0;
              case 1 -> random.nextInt(60);
              case 2 -> 90 + random.nextInt(30); // around the server's idle timeout: the race
              default -> 140 + random.nextInt(30); // around the agent's free-socket timeout
            };
        Thread.sleep(pause);
      }
      long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
      assertEquals(
          issued, ok + errorCount, "every request ended as a response or a classified error");
      for (ErrorClass c : errors.keySet()) {
        assertTrue(
            c == ErrorClass.CLOSED_EARLY || c == ErrorClass.RESET,
            "only the race's classes, got " + errors);
      }
      assertTrue(ok > 1000, "the soak did real work: " + ok + " ok of " + issued);
      AgentStats st = agent.stats();
      assertEquals(
          st.createSocketCount(), server.stats().connectionsAccepted(), "client and server agree");
      System.out.printf(
          "soak: %d s, %d requests, %d ok, errors %s, %d connections, %d reused, max %d sockets%n",
          seconds, issued, ok, errors, st.createSocketCount(), st.reusedRequestCount(), maxSockets);
    }
    if (socketsBefore >= 0) {
      // the agent holds ≤ maxTotalSockets + 1 (Node's overshoot); the in-process server as many
      // again
      assertTrue(
          maxSockets - socketsBefore <= 2 * 7 + 2,
          "socket count stayed bounded: max " + maxSockets);
      long after = SocketFds.awaitAtMost(socketsBefore);
      assertTrue(after <= socketsBefore, "socket fds back to " + socketsBefore + ", were " + after);
    }
  }
}
