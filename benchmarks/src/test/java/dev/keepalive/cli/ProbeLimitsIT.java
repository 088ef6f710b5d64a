package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe at its stated limit ({@link ProbePlan#MAX_REQUESTS} requests in one round) completes in a
 * small heap: its per-request memory is small and its JSON is streamed. The probe runs in a JVM of
 * its own with {@code -Xmx96m} (it used to need more than 256 MiB, and died of an OutOfMemoryError
 * with nothing on stdout).
 */
class ProbeLimitsIT {

  @TempDir Path dir;

  @Test
  void aProbeAtItsLimitFitsASmallHeap() throws Exception {
    try (HarnessServer server = ServerOptions.builder().start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path out = dir.resolve("out.json");
      Process probe =
          new ProcessBuilder(
                  java,
                  "-Xmx96m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "probe",
                  "--keep-alive",
                  "--max-sockets",
                  "8",
                  "--rounds",
                  String.valueOf(ProbePlan.MAX_REQUESTS),
                  server.uri().toString())
              .redirectOutput(out.toFile())
              .redirectError(dir.resolve("err.txt").toFile())
              .start();
      boolean exited = probe.waitFor(3, TimeUnit.MINUTES);
      if (!exited) {
        probe.destroyForcibly().waitFor();
      }
      String err = Files.readString(dir.resolve("err.txt"));
      assertTrue(exited, "the probe exits: " + err);
      assertEquals(0, probe.exitValue(), err);
      String head = head(out, 200);
      assertTrue(
          head.startsWith(
              "{\n  \"requests\" : "
                  + ProbePlan.MAX_REQUESTS
                  + ",\n  \"ok\" : "
                  + ProbePlan.MAX_REQUESTS
                  + ",\n  \"errors\" : 0,"),
          head);
      assertTrue(tail(out, 200).endsWith("}\n}\n"), tail(out, 200));
    }
  }

  private static String head(Path file, int n) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] b = new byte[(int) Math.min(n, f.length())];
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  private static String tail(Path file, int n) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      int len = (int) Math.min(n, f.length());
      f.seek(f.length() - len);
      byte[] b = new byte[len];
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }
}
