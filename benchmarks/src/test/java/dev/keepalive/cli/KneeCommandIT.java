package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.bench.KneeSweep;
import dev.keepalive.bench.RateTotals;
import dev.keepalive.bench.Strategy;
import dev.keepalive.report.KneeTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code knee} on a tiny sweep, the server in this JVM: {@code max-sockets-1} against a server that
 * takes 20 ms per response serves at most 50 requests/s, unbounded keep-alive serves all 800 the
 * sweep offers; the knee falls between. Needs the JMH lock (one JMH run at a time on a machine).
 */
class KneeCommandIT {

  @TempDir Path tmp;

  /** Runs {@code knee}; while another JMH run holds the lock, waits and tries again (5 min). */
  private static Cli.Run waitingForTheJmhLock(String... args) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      Cli.Run r = Cli.run(args);
      if (r.code() != 1 || !r.err().contains("lock") || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(5_000);
    }
  }

  @Test
  void findsTheSustainedRateBetweenOneSocketsCapacityAndKeepAlives() throws Exception {
    Path out = tmp.resolve("knee");
    Cli.Run r =
        waitingForTheJmhLock(
            "knee",
            "--server",
            "inprocess",
            "--strategies",
            Strategy.maxSockets(1) + "," + Strategy.KEEP_ALIVE,
            "--server-delay-ms",
            "20",
            "--from",
            "25",
            "--max-rate",
            "800",
            "--bisections",
            "2",
            "--warmup-ms",
            "300",
            "--measure-ms",
            "1000",
            "--timeout-ms",
            "500",
            "--slo-p99-ms",
            "100",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    KneeSweep.Result result = KneeSweep.Result.read(out.resolve(KneeTable.JSON));
    KneeSweep.Line one = result.lines().get(0);
    KneeSweep.Line unbounded = result.lines().get(1);
    int capacity = 1000 / 20;
    assertTrue(
        one.sustainedRate() >= 25 && one.sustainedRate() <= capacity,
        "max-sockets-1 sustains at most its capacity: " + one);
    assertTrue(unbounded.reachedMax() && unbounded.sustainedRate() == 800, unbounded.toString());
    for (KneeSweep.Line l : result.lines()) {
      for (RateTotals t : l.points()) {
        assertEquals(t.measured().issued(), t.measured().ok() + t.measured().errors());
      }
    }
    RateTotals past =
        one.points().stream().filter(t -> t.rate() >= 2 * capacity).findFirst().orElseThrow();
    assertTrue(
        past.measured().errors() > 0 || past.measured().intendedP99Ms() > 100, past.toString());
    assertTrue(past.measured().maxQueued() > 10, "its queue grew: " + past);
    assertTrue(
        past.maxConnectionsOpenPerListener().get(0) <= 2,
        "one socket (server-side; a timed-out socket's close may lag): " + past);
    assertTrue(r.out().contains("| " + Strategy.maxSockets(1) + " | "), r.out());
    assertTrue(Files.exists(out.resolve(KneeTable.MARKDOWN)));
    assertTrue(Files.exists(out.resolve("knee-p99.png")));
  }
}
