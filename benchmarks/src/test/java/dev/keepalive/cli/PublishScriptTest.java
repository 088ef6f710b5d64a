package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/publish.sh} never deletes or overwrites a published run: a second run on the same
 * day and commit goes into a new folder. Run in a copy of the layout with {@code java}, {@code mvn}
 * and {@code git} stubbed (the stub {@code java} records its command lines and writes what the
 * commands would).
 */
class PublishScriptTest {

  @TempDir Path repo;

  private static final String JAVA_STUB =
      String.join(
          "\n",
          "#!/usr/bin/env bash",
          "echo \"$*\" >> \"$STUB_LOG\"",
          "out=''; prev=''",
          "for a in \"$@\"; do [ \"$prev\" = --out ] && out=$a; prev=$a; done",
          "if [ -n \"$out\" ]; then",
          "  [ -e \"$out\" ] && { echo \"stub: $out exists\" >&2; exit 2; }",
          "  mkdir -p \"$out\" && echo '[]' > \"$out/jmh.json\" && echo '{}' > \"$out/env.json\"",
          "  echo '{}' > \"$out/precision.json\"",
          "fi",
          "");

  /** An executable script {@code name} in {@code bin} (the scripts' tests put it first on PATH). */
  static void stub(Path bin, String name, String body) throws Exception {
    Path p = bin.resolve(name);
    Files.writeString(p, body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void aSameDayRunGoesIntoANewFolderAndTheEarlierOneIsKept() throws Exception {
    Files.createDirectories(repo.resolve("scripts"));
    Files.copy(Path.of("..", "scripts", "publish.sh"), repo.resolve("scripts/publish.sh"));
    Path bin = Files.createDirectories(repo.resolve("bin"));
    stub(bin, "java", JAVA_STUB);
    stub(bin, "mvn", "#!/usr/bin/env bash\nexit 0\n");
    stub(bin, "git", "#!/usr/bin/env bash\n[ \"$1\" = rev-parse ] && echo abc1234\nexit 0\n");
    String day = LocalDate.now(ZoneOffset.UTC).toString();
    Path published = Files.createDirectories(repo.resolve("results/" + day + "-abc1234"));
    Files.writeString(published.resolve("jmh.json"), "the published run");
    Path log = repo.resolve("java.log");

    ProcessBuilder pb =
        new ProcessBuilder("bash", repo.resolve("scripts/publish.sh").toString())
            .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("STUB_LOG", log.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, p.exitValue(), output);

    assertEquals("the published run", Files.readString(published.resolve("jmh.json")));
    Path second = repo.resolve("results/" + day + "-abc1234-2");
    List<String> calls = Files.readAllLines(log);
    assertTrue(
        calls.get(0).contains("suite --all --out results/" + day + "-abc1234-2 "), calls.get(0));
    assertTrue(Files.exists(second.resolve("jmh.json")), output);
    assertEquals("[]", Files.readString(repo.resolve("results/baseline/jmh.json")).trim());
    // the baseline's CPU probes go with it: compare says when the CPUs ran at other speeds
    assertTrue(Files.exists(repo.resolve("results/baseline/precision.json")), output);
  }
}
