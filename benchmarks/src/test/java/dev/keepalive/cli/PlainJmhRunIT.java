package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.bench.TrialFiles;
import dev.keepalive.report.RunFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain JMH run of our benchmarks ({@code java -jar benchmarks.jar StrategyBenchmark ...}) writes
 * into a new run folder of its own, JMH's results included; two runs never share one.
 */
class PlainJmhRunIT {

  @TempDir Path work;

  /** benchmarks.jar's Main in a JVM of its own, in {@code work} (where {@code results/} goes). */
  private String plainRun(String... jmhArgs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(jmhArgs));
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), output);
    assertEquals(0, p.exitValue(), output);
    return output;
  }

  @Test
  void twoPlainRunsWriteIntoTwoNewRunFolders() throws Exception {
    String[] args = {
      "StrategyBenchmark",
      "-p",
      "strategy=keep-alive",
      "-p",
      "concurrency=1",
      "-p",
      "payload=13",
      "-f",
      "1",
      "-wi",
      "0",
      "-i",
      "2",
      "-r",
      "200ms"
    };
    plainRun(args);
    plainRun(args);
    Path runs = work.resolve("results").resolve(RunFolder.RUNS);
    List<Path> folders;
    try (Stream<Path> s = Files.list(runs)) {
      folders = s.sorted().toList();
    }
    assertEquals(2, folders.size(), "one folder per run: " + folders);
    assertNotEquals(folders.get(0), folders.get(1));
    for (Path run : folders) {
      assertTrue(Files.isRegularFile(run.resolve("jmh.json")), run + " has JMH's results");
      assertTrue(Files.isRegularFile(run.resolve("env.json")), run + " has its environment");
      assertFalse(Files.exists(run.resolve(RunFolder.FAILED)), run + " finished well");
      try (Stream<Path> hdr = Files.list(TrialFiles.hdrDir(run))) {
        List<String> names = hdr.map(p -> p.getFileName().toString()).toList();
        assertTrue(
            names.contains("StrategyBenchmark-keep-alive-c1-p13-o1-thrpt.hgrm"), names.toString());
      }
    }
    Path latest = work.resolve("results").resolve(RunFolder.LATEST);
    assertEquals(folders.get(1).toRealPath(), latest.toRealPath(), "latest → the newest run");
    assertFalse(Files.exists(work.resolve("jmh-result.json")), "nothing outside the run folder");
  }
}
