package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad usage of the suite: one line naming the problem, exit 2, nothing run. */
class SuiteCommandTest {

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
}
