package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.bench.KneeSweep;
import dev.keepalive.bench.RateTotals;
import dev.keepalive.bench.Strategy;
import dev.keepalive.report.KneeTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code knee} on a tiny sweep, the server in this JVM: {@code max-sockets-1} against a server that
 * takes 20 ms per response serves at most 50 requests/s, unbounded keep-alive serves several times
 * that (the sweep offers up to 400/s); the knee falls between. The SLO (p99 300 ms from the
 * intended start) is loose on purpose: on a machine busy with other jobs a 20 ms response takes up
 * to 150 ms now and then, while a queue past capacity grows without bound. Needs the JMH lock (one
 * JMH run at a time on a machine).
 */
class KneeCommandIT {

  @TempDir Path tmp;

  /**
   * Runs {@code knee} into {@code out}; while another JMH run holds the lock, waits and tries again
   * (5 min), into a new folder each time (a failed run leaves its folder marked).
   */
  private Cli.Run waitingForTheJmhLock(Path out, String... args) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    for (int attempt = 1; ; attempt++) {
      Path folder = attempt == 1 ? out : tmp.resolve("knee-" + attempt);
      String[] all = Arrays.copyOf(args, args.length + 2);
      all[args.length] = "--out";
      all[args.length + 1] = folder.toString();
      Cli.Run r = Cli.run(all);
      if (r.code() != 1 || !r.err().contains("lock") || System.nanoTime() > deadline) {
        if (folder != out && r.code() == 0) {
          Files.move(folder, out);
        }
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
            out,
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
            "400",
            "--bisections",
            "2",
            "--warmup-ms",
            "300",
            "--measure-ms",
            "1000",
            "--timeout-ms",
            "1000",
            "--slo-p99-ms",
            "300");
    assertEquals(0, r.code(), r.out() + r.err());
    KneeSweep.Result result = KneeSweep.Result.read(out.resolve(KneeTable.JSON));
    KneeSweep.Line one = result.lines().get(0);
    KneeSweep.Line unbounded = result.lines().get(1);
    int capacity = 1000 / 20;
    assertTrue(
        one.sustainedRate() > 0 && one.sustainedRate() <= capacity,
        "max-sockets-1 sustains at most its capacity: " + one);
    assertTrue(
        unbounded.sustainedRate() >= 4 * capacity,
        "keep-alive sustains several times that: " + unbounded);
    for (KneeSweep.Line l : result.lines()) {
      for (RateTotals t : l.points()) {
        assertEquals(t.measured().issued(), t.measured().ok() + t.measured().errors());
      }
    }
    assertTrue(one.limit() != null, "a rate past max-sockets-1's capacity failed: " + one);
    for (RateTotals t : one.points()) {
      assertTrue(
          t.measured().maxOpenSockets() == 1,
          "one socket: " + t.measured().maxOpenSockets() + " at " + t.rate() + "/s");
      if (t.rate() >= 2 * capacity) {
        assertTrue(t.measured().maxQueued() > 10, "past capacity the queue grew: " + t);
      }
    }
    assertTrue(r.out().contains("| " + Strategy.maxSockets(1) + " | "), r.out());
    assertTrue(Files.exists(out.resolve(KneeTable.MARKDOWN)));
    assertTrue(Files.exists(out.resolve("knee-p99.png")));
  }
}
