package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/planted-slowdown.sh}: every round measures each of the four arms once, each
 * condition is compared with the baseline's rounds, paired, as {@code regression.sh --against}
 * compares, and the planted runs' {@code work} is renamed so that their rows meet the baseline's.
 * Run in a copy of the layout with {@code java}, {@code mvn} and {@code git} stubbed.
 */
class PlantedSlowdownScriptTest {

  @TempDir Path repo;

  /** suite: a run folder whose jmh.json carries the work asked for; compare: a verdict. */
  private static final String JAVA_STUB =
      String.join(
          "\n",
          "#!/usr/bin/env bash",
          "case \"$*\" in",
          "  *' suite '*)",
          "    all=\"$*\"; w=${all##*work=}",
          "    n=$(ls results/runs 2>/dev/null | wc -l)",
          "    d=results/runs/run-$n",
          "    mkdir -p \"$d\"",
          "    printf '[ {\\n  \"params\" : {\\n    \"work\" : \"%s\"\\n  }\\n} ]\\n' \"$w\" > \"$d/jmh.json\"",
          "    echo '{}' > \"$d/env.json\"",
          "    echo \"suite|$KEEPALIVE_GIT_COMMIT|${*:3}\" >> \"$STUB_LOG\"",
          "    echo \"log: $d/jmh.log; results: $d\"",
          "    exit 0;;",
          "  *' compare '*)",
          "    echo \"compare|${*:3}\" >> \"$STUB_LOG\"",
          "    case \"$*\" in",
          "      *planted-25*) v=regressed; r=0.7; code=1;;",
          "      *) v=inconclusive; r=1.0; code=0;;",
          "    esac",
          "    echo \"{\\\"results\\\" : [ {\\\"name\\\" : \\\"keep-alive c16 13B\\\", \\\"ratio\\\" : $r,"
              + " \\\"detectablePercent\\\" : 12.5, \\\"verdict\\\" : \\\"$v\\\"} ]}\"",
          "    exit $code;;",
          "esac",
          "exit 3",
          "");

  private Path layout() throws Exception {
    Files.createDirectories(repo.resolve("scripts"));
    Files.copy(
        Path.of("..", "scripts", "planted-slowdown.sh"),
        repo.resolve("scripts/planted-slowdown.sh"));
    Path bin = Files.createDirectories(repo.resolve("bin"));
    PublishScriptTest.stub(bin, "java", JAVA_STUB);
    PublishScriptTest.stub(bin, "mvn", "#!/usr/bin/env bash\necho jar > benchmarks.jar\n");
    PublishScriptTest.stub(
        bin, "git", "#!/usr/bin/env bash\n[ \"$1\" = rev-parse ] && echo abc1234\nexit 0\n");
    return bin;
  }

  private record Run(int code, String output) {}

  private Run planted(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/planted-slowdown.sh"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
    pb.redirectErrorStream(true);
    pb.environment().put("PATH", repo.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().put("STUB_LOG", repo.resolve("java.log").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
    return new Run(p.exitValue(), output);
  }

  @Test
  void everyRoundMeasuresEachArmOnceAndEachConditionIsComparedPaired() throws Exception {
    layout();
    Run r = planted("1", "150", "450", "3");
    assertEquals(0, r.code(), r.output());
    List<String> rounds =
        Files.readAllLines(repo.resolve(outFolder(r.output())).resolve("rounds.csv"));
    assertEquals(1 + 3 * 4, rounds.size(), String.join("\n", rounds));
    for (int round = 1; round <= 3; round++) {
      Set<String> arms = new TreeSet<>();
      for (String line : rounds.subList(1, rounds.size())) {
        String[] f = line.split(",");
        if (f[1].equals(String.valueOf(round))) {
          arms.add(f[3] + "=" + f[4]);
        }
      }
      assertEquals(
          Set.of("baseline=0", "identical=0", "planted-10=150", "planted-25=450"),
          arms,
          "round " + round);
    }
    List<String> calls = Files.readAllLines(repo.resolve("java.log"));
    assertTrue(
        calls.stream()
            .filter(c -> c.startsWith("suite|"))
            .allMatch(
                c ->
                    c.startsWith(
                        "suite|abc1234|suite --regression --min-forks 1 --max-forks 1 -p work=")),
        String.join("\n", calls));
    Path out = repo.resolve(outFolder(r.output()));
    for (String cond : List.of("identical", "planted-10", "planted-25")) {
      String call =
          calls.stream()
              .filter(c -> c.contains("-" + cond + ".jmh.json"))
              .findFirst()
              .orElseThrow();
      String[] args = call.split(" ");
      assertEquals("--paired", args[1], call);
      assertEquals(3, args[2].split(",").length, call);
      assertTrue(args[2].contains("k01-baseline") && args[2].contains("k03-baseline"), call);
      assertEquals(3, args[3].split(",").length, call);
      for (String f : args[3].split(",")) {
        assertTrue(
            Files.readString(repo.resolve(f)).contains("\"work\" : \"0\""),
            "the planted rows meet the baseline's: " + f);
      }
    }
    List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
    assertEquals(
        List.of(
            "run,condition,tokens,exit,regressed_rows",
            "1,identical,0,0,0",
            "1,planted-10,150,0,0",
            "1,planted-25,450,1,1"),
        runs);
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("| planted-25 | 450 | 1 | 1 |"), summary);
    assertTrue(summary.contains("| keep-alive c16 13B | 1.000, ±12.5 % (0 / 0 of 1)"), summary);
  }

  @Test
  void badArgumentsAreNamedWithTheirRange() throws Exception {
    layout();
    Map<List<String>, String> bad =
        Map.of(
            List.of("0", "150", "450"), "RUNS must be 1..100, was 0",
            List.of("2", "150", "x"),
                "TOKENS_25 must be a whole number of tokens 1..1000000, was 'x'",
            List.of("2", "150", "450", "1"), "ROUNDS must be 3..20, was 1",
            List.of("2"), "TOKENS_10 and TOKENS_25 are needed");
    for (Map.Entry<List<String>, String> e : bad.entrySet()) {
      Run r = planted(e.getKey().toArray(String[]::new));
      assertEquals(2, r.code(), r.output());
      assertTrue(r.output().contains(e.getValue()), e.getKey() + ": " + r.output());
    }
    assertTrue(!Files.exists(repo.resolve("java.log")), "nothing measured");
  }

  private static String outFolder(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith("planted-slowdown.sh: done: "))
        .map(
            l ->
                l.substring("planted-slowdown.sh: done: ".length()).replace(" (now commit it)", ""))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no 'done' line: " + output));
  }
}
