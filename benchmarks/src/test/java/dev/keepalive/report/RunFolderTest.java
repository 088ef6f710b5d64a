package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run layout: every run in a new folder of its own, latest → the newest, failures marked. */
class RunFolderTest {

  @TempDir Path results;

  private static final Environment ENV =
      new Environment("2026-12-01T00:00:00Z", "cpu", 2, 4096, "Linux", "JDK 17", "8cfaffa");

  private final List<String> notes = new ArrayList<>();

  @Test
  void everyRunGetsANewFolderAndLatestPointsAtTheNewest() throws Exception {
    RunFolder first = RunFolder.create(results, "", ENV, notes);
    RunFolder second = RunFolder.create(results, "overhead", ENV, notes);
    String day = LocalDate.now(ZoneOffset.UTC).toString();
    assertEquals(results.resolve("runs/" + day + "-8cfaffa-1"), first.dir());
    assertEquals(results.resolve("runs/" + day + "-8cfaffa-2/overhead"), second.dir());
    assertTrue(Files.isSymbolicLink(results.resolve("latest")));
    assertEquals(
        Path.of("runs", day + "-8cfaffa-2"), Files.readSymbolicLink(results.resolve("latest")));
    assertTrue(Files.isDirectory(results.resolve("latest/overhead")));
    assertEquals(List.of(), notes);
  }

  @Test
  void aLatestFolderOfTheOldLayoutIsLeftAsItIs() throws Exception {
    Path old = Files.createDirectories(results.resolve("latest"));
    Files.writeString(old.resolve("jmh.json"), "[]");
    RunFolder run = RunFolder.create(results, "", ENV, notes);
    assertEquals("[]", Files.readString(old.resolve("jmh.json")));
    assertFalse(Files.isSymbolicLink(old));
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).contains(run.dir().toString()), notes.get(0));
  }

  @Test
  void aRunIsMarkedFailedUntilItSucceedsAndKeepsTheReasonWhenItFails() throws Exception {
    RunFolder run = RunFolder.at(results.resolve("run"), false);
    run.begin(ENV);
    assertTrue(Files.exists(run.dir().resolve("env.json")));
    Optional<String> going = RunFolder.failure(run.dir());
    assertTrue(going.orElseThrow().startsWith("not finished: the run started at "), going.get());
    run.failed("3 of 11 benchmarks produced no result\nsecond line");
    assertEquals(
        Optional.of("3 of 11 benchmarks produced no result"), RunFolder.failure(run.dir()));
    run.succeeded();
    assertEquals(Optional.empty(), RunFolder.failure(run.dir()));
  }

  @Test
  void aFolderThatHoldsFilesIsRefusedUnlessForcedAndForceRemovesOnlyTheEarlierRun()
      throws Exception {
    Path dir = Files.createDirectories(results.resolve("run/hdr"));
    Path run = results.resolve("run");
    for (String f : List.of("jmh.json", "env.json", "summary.md", "throughput.png", "notes.txt")) {
      Files.writeString(run.resolve(f), f);
    }
    Files.writeString(dir.resolve("x.hgrm"), "x");
    Files.createDirectories(run.resolve("overhead"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RunFolder.at(run, false));
    assertTrue(
        e.getMessage().contains("already holds files (env.json, hdr, jmh.json, ...)"),
        e.getMessage());
    assertTrue(Files.exists(run.resolve("jmh.json")), "nothing removed without force");
    RunFolder.at(run, true);
    assertFalse(Files.exists(run.resolve("jmh.json")));
    assertFalse(Files.exists(run.resolve("hdr")));
    assertFalse(Files.exists(run.resolve("throughput.png")));
    assertTrue(Files.exists(run.resolve("notes.txt")), "not a file of the layout");
    assertTrue(Files.isDirectory(run.resolve("overhead")), "another run's folder");
    Files.writeString(results.resolve("file"), "x");
    assertThrows(IllegalArgumentException.class, () -> RunFolder.at(results.resolve("file"), true));
    RunFolder.at(Files.createDirectories(results.resolve("empty")), false);
  }

  @Test
  void theCommitLabelIsTheShortHash() {
    assertEquals("8cfaffa", RunFolder.commitLabel("8cfaffa"));
    assertEquals("8cfaffa-dirty", RunFolder.commitLabel("8cfaffa (with uncommitted changes)"));
    assertEquals("unknown", RunFolder.commitLabel("unknown (not a git checkout)"));
  }
}
