package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad usage of the suite and the other JMH commands: one line naming the problem, exit 2, nothing
 * run and nothing written; a run that cannot start writes nothing either.
 */
class SuiteCommandTest {

  @TempDir Path tmp;

  private static String[] run(String... args) {
    Cli.Run r = Cli.command("suite", args);
    return new String[] {String.valueOf(r.code()), r.out(), r.err()};
  }

  @Test
  void unknownJmhOptionExitsTwo() {
    String[] r = run("--bogus");
    assertEquals("2", r[0]);
    assertEquals("suite: bogus is not a recognized option\n", r[2]);
    assertEquals("", r[1], "nothing ran");
  }

  @Test
  void outWithoutADirectoryExitsTwo() {
    String[] r = run("--out");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("suite: --out needs a directory"), r[2]);
  }

  @Test
  void badJmhValueExitsTwo() {
    String[] r = run("-i", "many");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("suite: "), r[2]);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "--max-error 0       | suite: --max-error must be > 0 and <= 100, was 0.0",
        "--max-error 101     | suite: --max-error must be > 0 and <= 100, was 101.0",
        "--budget 5s         | suite: --budget must be between 10s and 24h, was 5 s",
        "--budget soon       | must be a duration such as 90s, 6m or 1h30m, was 'soon'",
        "--min-forks 0       | suite: --min-forks must be between 1 and 100, was 0",
        "--max-forks 101     | suite: --max-forks must be between 1 and 100, was 101",
        "--min-forks 4 --max-forks 2 | suite: --max-forks must be >= --min-forks (4), was 2",
        "--quick --all       | suite: --quick, --all and --regression exclude each other",
        "--regression --quick | suite: --quick, --all and --regression exclude each other",
        "-f 2                | suite: -f 2: the suite runs one fork per row and round"
      })
  void badPrecisionFlagsExitTwoNamingTheFlagAndTheRange(String args, String message) {
    String[] r = run(args.trim().split(" +"));
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains(message), r[2]);
    assertEquals("", r[1], "nothing ran");
  }

  /** A published run, as a user might point --out at it by mistake. */
  private Path publishedRun() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("results/2026-11-21-8cfaffa"));
    Files.writeString(run.resolve("jmh.json"), "[{\"benchmark\": \"published\"}]");
    Files.writeString(run.resolve("env.json"), "{\"date\": \"then\"}");
    Files.writeString(run.resolve("summary.md"), "the published tables");
    return run;
  }

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .toList();
    }
  }

  @Test
  void aRunNeverWritesIntoAFolderThatHoldsFilesUnlessForced() throws Exception {
    Path run = publishedRun();
    List<String> before = listing(run);
    for (String command : List.of("suite", "overhead", "faults")) {
      Cli.Run r = Cli.run(command, "--out", run.toString(), "-p", "strategy=no-such-strategy");
      assertEquals(2, r.code(), r.err());
      assertTrue(
          r.err().startsWith(command + ": --out '" + run + "' already holds files (env.json"),
          r.err());
      assertTrue(r.err().contains("add --force"), r.err());
      assertEquals(before, listing(run));
      assertEquals("[{\"benchmark\": \"published\"}]", Files.readString(run.resolve("jmh.json")));
    }
  }

  @Test
  void badParametersExitTwoBeforeAnythingIsWritten() {
    Path out = tmp.resolve("new");
    String[][] cases = {
      {"suite", "-p", "strategy=no-such-strategy", "suite: -p strategy must be one of no-agent,"},
      {"overhead", "-p", "strategy=nope", "overhead: -p strategy must be one of no-agent,"},
      {"faults", "-p", "row=no-such-row", "faults: -p row must be one of keep-alive,"},
      {"faults", "-p", "pauseMs=1.5", "faults: -p pauseMs must be a whole number >= 0, was '1.5'"},
      {"suite", "-p", "concurrency=0", "suite: -p concurrency must be >= 1, was 0"},
      {"suite", "-p", "server=elsewhere", "suite: -p server must be process or inprocess"},
      {"suite", "-p", "target=ftp://x/", "suite: -p target must be empty or http(s)://host:port"},
      {"suite", "-p", "scheme=ftp", "suite: -p scheme must be http or https, was 'ftp'"},
      {
        "suite",
        "-p",
        "scheme=https",
        "suite: -p scheme https is not for strategy raw-socket, which speaks plain TCP only"
      },
      {"faults", "-p", "nosuch=1", "faults: -p nosuch: no such parameter of FaultBenchmark;"},
      {"suite", "-pstrategy=x", "suite: -p strategy must be one of"},
    };
    for (String[] c : cases) {
      String[] args = new String[c.length + 1];
      System.arraycopy(c, 0, args, 0, c.length - 1);
      args[c.length - 1] = "--out";
      args[c.length] = out.toString();
      Cli.Run r = Cli.run(args);
      assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
      assertTrue(r.err().startsWith(c[c.length - 1]), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertEquals("", r.out());
      assertFalse(Files.exists(out), "nothing written for " + String.join(" ", c));
    }
  }

  @Test
  void forceGoesWithOut() {
    Cli.Run r = Cli.run("suite", "--force");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("suite: --force goes with --out DIR"), r.err());
  }

  @Test
  void aRunThatCannotTakeJmhsLockWritesNothing() throws Exception {
    String tmpdir = System.getProperty("java.io.tmpdir");
    Path out = tmp.resolve("new");
    System.setProperty("java.io.tmpdir", tmp.toString());
    try (FileChannel channel =
            FileChannel.open(
                tmp.resolve("jmh.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      assertTrue(held.isValid());
      for (String command : List.of("suite", "overhead", "faults")) {
        Cli.Run r = Cli.run(command, "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(
            command
                + ": JMH's lock "
                + tmp.resolve("jmh.lock")
                + " is held: another JMH run is going on this machine (one at a time); nothing"
                + " was started or written\n",
            r.err());
        assertFalse(Files.exists(out));
      }
    } finally {
      System.setProperty("java.io.tmpdir", tmpdir);
    }
  }

  @Test
  void aRunWithBenchmarksMissingFailsAndSaysHowMany() {
    assertEquals(null, JmhRun.missing(3, 3, tmp));
    assertEquals(
        "2 of 3 benchmarks produced no result; see " + tmp.resolve("jmh.log"),
        JmhRun.missing(1, 3, tmp));
  }
}
