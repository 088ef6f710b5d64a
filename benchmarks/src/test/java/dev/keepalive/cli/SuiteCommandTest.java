package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad usage of the suite: one line naming the problem, exit 2, nothing run. */
class SuiteCommandTest {

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Suite.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      String.valueOf(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
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
