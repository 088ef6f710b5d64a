package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/regression.sh --against REV}: both builds measured in interleaved rounds, one of
 * each per round, each labelled with its own commit, and judged with {@code compare --paired}. Run
 * in a copy of the layout with {@code java}, {@code mvn} and {@code git} stubbed (the stub {@code
 * java} records which jar ran what, under which commit label, and makes a run folder per suite).
 */
class RegressionScriptTest {

  @TempDir Path repo;

  private static final String SHA = "def5678def5678def5678def5678def5678def56";

  private static final String JAVA_STUB =
      String.join(
          "\n",
          "#!/usr/bin/env bash",
          "jar=$(basename \"$2\")",
          "case \"$*\" in",
          "  *'suite --help'*) echo '  --max-forks=N'; exit 0;;",
          "  *' suite '*)",
          "    [ \"$jar\" = \"${FAIL_JAR:-}\" ] && { echo 'suite: broke' >&2; exit 1; }",
          "    n=$(ls results/runs 2>/dev/null | wc -l)",
          "    d=results/runs/run-$n",
          "    mkdir -p \"$d\" && echo '[]' > \"$d/jmh.json\"",
          "    echo \"$jar|$KEEPALIVE_GIT_COMMIT|$d|${*:3}\" >> \"$STUB_LOG\"",
          "    echo 'keepalive-bench suite --regression'",
          "    echo \"log: $d/jmh.log; results: $d\"",
          "    exit 0;;",
          "  *' compare '*) echo \"$jar|compare|${*:3}\" >> \"$STUB_LOG\"; exit \"${COMPARE_EXIT:-1}\";;",
          "esac",
          "exit 3",
          "");

  private static final String GIT_STUB =
      String.join(
          "\n",
          "#!/usr/bin/env bash",
          "echo \"$*\" >> \"$GIT_LOG\"",
          "case \"$*\" in",
          "  'rev-parse --verify --quiet v1^{commit}') echo " + SHA + ";;",
          "  'rev-parse --verify --quiet '*) exit 1;;",
          "  'rev-parse --short HEAD') echo abc1234;;",
          "  'rev-parse --short " + SHA + "') echo def5678;;",
          "  'status --porcelain --untracked-files=no') ;;",
          "  'worktree add --quiet --detach '*) mkdir -p \"$5\" && echo base > \"$5/benchmarks.jar\";;",
          "  'worktree remove --force '*) rm -rf \"$4\";;",
          "  *) exit 9;;",
          "esac",
          "");

  private record Run(int code, String output) {}

  private Run regression(String... args) throws Exception {
    return regression(java.util.Map.of(), args);
  }

  private Run regression(java.util.Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add("bash");
    command.add(repo.resolve("scripts/regression.sh").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Path bin = repo.resolve("bin");
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("STUB_LOG", repo.resolve("java.log").toString());
    pb.environment().put("GIT_LOG", repo.resolve("git.log").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
    return new Run(p.exitValue(), output);
  }

  private void layout() throws Exception {
    Files.createDirectories(repo.resolve("scripts"));
    Files.copy(Path.of("..", "scripts", "regression.sh"), repo.resolve("scripts/regression.sh"));
    Path bin = Files.createDirectories(repo.resolve("bin"));
    PublishScriptTest.stub(bin, "java", JAVA_STUB);
    PublishScriptTest.stub(
        bin, "mvn", "#!/usr/bin/env bash\n[ -f benchmarks.jar ] || echo new > benchmarks.jar\n");
    PublishScriptTest.stub(bin, "git", GIT_STUB);
  }

  @Test
  void bothBuildsRunInEveryRoundEachUnderItsOwnCommitAndArePairedInTheComparison()
      throws Exception {
    layout();
    Run r = regression("--against", "v1", "--rounds", "3", "--threshold", "5");
    assertEquals(1, r.code(), "compare's exit code is the script's: " + r.output());

    List<String> calls = Files.readAllLines(repo.resolve("java.log"));
    assertEquals(7, calls.size(), String.join("\n", calls));
    List<String> base = new java.util.ArrayList<>();
    List<String> now = new java.util.ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<String> pair = calls.subList(2 * round, 2 * round + 2);
      long baseRuns = pair.stream().filter(c -> c.startsWith("base.jar|def5678|")).count();
      long newRuns = pair.stream().filter(c -> c.startsWith("new.jar|abc1234|")).count();
      assertEquals(1, baseRuns, "one BASE run per round: " + pair);
      assertEquals(1, newRuns, "one NEW run per round: " + pair);
      for (String c : pair) {
        String[] f = c.split("\\|");
        assertEquals("suite --regression --min-forks 1 --max-forks 1", f[3]);
        (f[0].equals("base.jar") ? base : now).add(f[2] + "/jmh.json");
      }
    }
    assertEquals(
        "new.jar|compare|compare --paired "
            + String.join(",", base)
            + " "
            + String.join(",", now)
            + " --threshold 5",
        calls.get(6));
    // REV's jar is built once, in a worktree that is removed, and kept for the next run
    assertEquals(
        "base",
        Files.readString(repo.resolve("target/regression-base/" + SHA + "/benchmarks.jar")).trim());
    assertTrue(Files.readString(repo.resolve("git.log")).contains("worktree remove --force"));
    Files.delete(repo.resolve("git.log"));
    r = regression("--against", "v1", "--rounds", "3", "--no-build");
    assertEquals(1, r.code(), r.output());
    assertFalse(Files.readString(repo.resolve("git.log")).contains("worktree add"), "cached");
  }

  /** The script's exit code is compare's, in both forms: 0 when compare finds no regression. */
  @Test
  void noRegressionExitsZeroInBothForms() throws Exception {
    layout();
    Files.createDirectories(repo.resolve("results/baseline"));
    Files.writeString(repo.resolve("results/baseline/jmh.json"), "[]");
    Run r = regression(java.util.Map.of("COMPARE_EXIT", "0"));
    assertEquals(0, r.code(), r.output());
    List<String> calls = Files.readAllLines(repo.resolve("java.log"));
    assertEquals(
        "benchmarks.jar|compare|compare results/baseline/jmh.json results/runs/run-0/jmh.json",
        calls.get(1));
    r = regression(java.util.Map.of("COMPARE_EXIT", "0"), "--against", "v1");
    assertEquals(0, r.code(), r.output());
  }

  /** A round that fails stops the run (exit 1), names itself, and leaves no worktree behind. */
  @Test
  void aFailedRoundStopsTheRunAndSaysWhich() throws Exception {
    layout();
    Run r = regression(java.util.Map.of("FAIL_JAR", "base.jar"), "--against", "v1");
    assertEquals(1, r.code(), r.output());
    assertTrue(r.output().contains("suite: broke"), r.output());
    assertTrue(
        r.output().matches("(?s).*round 1, base \\(def5678\\) failed \\(exit 1\\).*"), r.output());
    Path log = repo.resolve("java.log");
    assertFalse(
        Files.exists(log) && Files.readString(log).contains("compare"), "no comparison was made");
    assertFalse(
        Files.exists(repo.resolve("target/regression-base/" + SHA + "/benchmarks.jar.tmp")));
    assertTrue(Files.readString(repo.resolve("git.log")).contains("worktree remove --force"));
  }

  /**
   * Without --rounds, rounds are added while the next one would end within --budget (default 10m,
   * builds included): with the clock stubbed so that a round takes 90 s and the builds 30 s, 6
   * rounds end at 570 s and a 7th would end at 660 s, beyond 600; a budget too short for 3 rounds
   * still runs 3, the fewest that judge anything, and says so.
   */
  @Test
  void roundsFillTheBudget() throws Exception {
    layout();
    // each call of 'date +%s' is 30 s after the one before: 1 before the builds, 1 after them,
    // and 3 per round (one after each run, one to decide on the next round)
    PublishScriptTest.stub(
        repo.resolve("bin"),
        "date",
        "#!/usr/bin/env bash\n"
            + "n=$(cat \"$DATE_FILE\" 2>/dev/null || echo 0)\n"
            + "echo $((n + 1)) > \"$DATE_FILE\"\n"
            + "echo $((1000 + 30 * n))\n");
    java.util.Map<String, String> env =
        java.util.Map.of("DATE_FILE", repo.resolve("date.txt").toString(), "COMPARE_EXIT", "0");
    Run r = regression(env, "--against", "v1");
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("as many as fit in --budget 10m (3..20)"), r.output());
    List<String> calls = Files.readAllLines(repo.resolve("java.log"));
    assertEquals(13, calls.size(), "6 rounds of 2 runs, then compare: " + calls);
    assertTrue(r.output().contains("regression.sh: 6 rounds in"), r.output());
    assertTrue(r.output().contains("round 6, "), r.output());
    assertEquals(6, calls.get(12).split(" ")[2].split(",").length, "6 rounds paired: " + calls);
    // the rounds' files are named, for compare --paired or power
    assertTrue(
        r.output().contains("regression.sh: BASE rounds: " + calls.get(12).split(" ")[2]),
        r.output());
    assertTrue(
        r.output().contains("regression.sh: NEW rounds: " + calls.get(12).split(" ")[3]),
        r.output());

    Files.delete(repo.resolve("java.log"));
    Files.delete(repo.resolve("date.txt"));
    r = regression(env, "--against", "v1", "--budget", "1m");
    assertEquals(0, r.code(), r.output());
    assertEquals(7, Files.readAllLines(repo.resolve("java.log")).size(), r.output());
    assertTrue(
        r.output()
            .contains("3 rounds, the fewest that judge anything, took 300 s, beyond --budget 1m"),
        r.output());
  }

  @Test
  void badRoundsOrRevisionsAreNamedAndNothingRuns() throws Exception {
    layout();
    Run r = regression("--against", "v1", "--rounds", "2");
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().contains("--rounds must be 3..20, was 2"), r.output());
    r = regression("--rounds", "5");
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().contains("--rounds and --budget go with --against REV"), r.output());
    r = regression("--budget", "5m");
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().contains("--rounds and --budget go with --against REV"), r.output());
    r = regression("--against", "v1", "--rounds", "4", "--budget", "10m");
    assertEquals(2, r.code(), r.output());
    assertTrue(
        r.output().contains("--rounds and --budget exclude each other (--rounds 4, --budget 10m)"),
        r.output());
    for (String bad : List.of("10", "1xm", "m", "10d")) {
      r = regression("--against", "v1", "--budget", bad);
      assertEquals(2, r.code(), bad + ": " + r.output());
      assertTrue(
          r.output()
              .contains("--budget must be a time like 10m, 900s or 1h (1m..6h), was '" + bad + "'"),
          r.output());
    }
    r = regression("--against", "v1", "--budget", "");
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().contains("--budget needs a time"), r.output());
    r = regression("--against", "v1", "--rounds", "");
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().contains("--rounds needs a number 3..20"), r.output());
    r = regression("--against", "v1", "--budget", "30s");
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().contains("--budget must be 1m..6h, was 30s"), r.output());
    r = regression("--against", "v1", "old.json");
    assertEquals(2, r.code(), r.output());
    assertTrue(
        r.output().contains("--against REV measures its own baseline; 'old.json'"), r.output());
    r = regression("--against", "nope");
    assertEquals(2, r.code(), r.output());
    assertTrue(
        r.output().contains("--against 'nope' is not a commit of this repository"), r.output());
    r = regression("--against");
    assertEquals(2, r.code(), r.output());
    assertFalse(Files.exists(repo.resolve("java.log")), "no suite ran");
  }
}
