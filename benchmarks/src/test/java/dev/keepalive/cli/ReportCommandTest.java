package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} writes where it is asked to, and nowhere else; a failure writes nothing. */
class ReportCommandTest {

  @TempDir Path tmp;

  /** A copy of the golden suite --quick run. */
  private Path run() throws Exception {
    Path src = Path.of(getClass().getResource("/golden/quick").toURI());
    Path run = tmp.resolve("run");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : files.toList()) {
        Path dst = run.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    }
    return run;
  }

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void aJsonFilesReportGoesToStdoutAndWritesNothingUnasked() throws Exception {
    Path run = run();
    List<String> before = listing(tmp);
    Cli.Run r = Cli.run("report", run.resolve("jmh.json").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("| keep-alive |"), r.out());
    assertEquals("report: wrote nothing (--out DIR writes summary.md and the charts)\n", r.err());
    assertEquals(before, listing(tmp), "nothing written beside the file");

    Path out = tmp.resolve("report");
    r = Cli.run("report", run.resolve("jmh.json").toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(out.resolve("summary.md")));
    assertTrue(Files.exists(out.resolve("throughput.png")));
    r = Cli.run("report", run.resolve("jmh.json").toString(), "--out", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("report: --out '" + out + "' already holds files"), r.err());
    r = Cli.run("report", run.resolve("jmh.json").toString(), "--out", out.toString(), "--force");
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void aRunFoldersReportGoesIntoThatFolder() throws Exception {
    Path run = run();
    assertFalse(Files.exists(run.resolve("summary.md")));
    Cli.Run r = Cli.run("report", run.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(run.resolve("summary.md")));
  }

  @Test
  void aFailedPublishWritesNothing() throws Exception {
    Path run = run();
    Path folder = Files.createDirectories(tmp.resolve("page"));
    List<String> before = listing(tmp);
    Cli.Run r = Cli.run("report", "--publish", run.toString(), folder.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "report: "
            + folder
            + " is a folder; give the page to regenerate, e.g. "
            + folder.resolve("README.md")
            + "\n",
        r.err());
    r = Cli.run("report", "--publish", run.toString(), tmp.resolve("no/such/README.md").toString());
    assertEquals(2, r.code(), r.err());
    Files.writeString(run.resolve("FAILED"), "1 of 11 benchmarks produced no result\n");
    Path readme = tmp.resolve("README.md");
    r = Cli.run("report", "--publish", run.toString(), readme.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "report: "
            + run
            + " is marked failed (1 of 11 benchmarks produced no result); publish a complete run\n",
        r.err());
    Files.delete(run.resolve("FAILED"));
    assertEquals(before, listing(tmp), "no summary.md, no chart, no README written");
    assertFalse(Files.exists(readme));

    r = Cli.run("report", "--publish", run.toString(), readme.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(readme).contains("](run/throughput.png)"));
  }

  @Test
  void aFailedRunsReportSaysSo() throws Exception {
    Path run = run();
    Files.writeString(run.resolve("FAILED"), "3 of 11 benchmarks produced no result\n");
    Cli.Run r = Cli.run("report", run.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains("- **this run failed**: 3 of 11 benchmarks produced no result\n"),
        r.out());
  }

  /**
   * The page's "How to reproduce" names the forks the rows had, every row's: the published page
   * said "4 forks" (its first row's) where its rows had 3 to 4.
   */
  @Test
  void thePublishedPageNamesTheForksOfEveryRow() throws Exception {
    Path run = run();
    com.fasterxml.jackson.databind.ObjectMapper m =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode root = m.readTree(run.resolve("jmh.json").toFile());
    // the last row gets 3 forks: copies of its one fork
    var raw =
        (com.fasterxml.jackson.databind.node.ArrayNode)
            root.get(root.size() - 1).get("primaryMetric").get("rawData");
    raw.add(raw.get(0).deepCopy());
    raw.add(raw.get(0).deepCopy());
    Files.writeString(run.resolve("jmh.json"), m.writeValueAsString(root));
    Path readme = tmp.resolve("README.md");
    Cli.Run r = Cli.run("report", "--publish", run.toString(), readme.toString());
    assertEquals(0, r.code(), r.err());
    String page = Files.readString(readme);
    assertTrue(page.contains("this page: the suite with 1–3 forks × 3 iterations"), page);
    assertTrue(page.contains("scripts/regression.sh --against REV"), page);
  }
}
