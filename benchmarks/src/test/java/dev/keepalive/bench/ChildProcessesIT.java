package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The harness server's JVM dies with the benchmark JVM that started it: on SIGTERM (the shutdown
 * hook stops every descendant) and when that JVM is killed outright (the server watches its
 * parent). The benchmark JVM here is {@link Holder}: it starts the server as a trial does and
 * waits.
 */
class ChildProcessesIT {

  private Process holder;

  /** A benchmark JVM in miniature: a harness server in its own JVM, then nothing. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      TargetServer server = TargetServer.start("process", "", 1);
      System.out.println("ready " + server.uri0());
      Thread.sleep(TimeUnit.MINUTES.toMillis(5));
      server.close();
    }
  }

  /** Starts a holder and returns its server's process, once the server is listening. */
  private ProcessHandle holderWithServer() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    holder =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), Holder.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertTrue(line != null && line.startsWith("ready http://127.0.0.1:"), "holder: " + line);
    List<ProcessHandle> children = holder.toHandle().children().toList();
    assertEquals(1, children.size(), "the server's JVM: " + children);
    return children.get(0);
  }

  @AfterEach
  void noneLeft() {
    if (holder != null) {
      holder.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      holder.destroyForcibly();
    }
  }

  @Test
  void sigtermStopsTheServerWithTheJvmThatStartedIt() throws Exception {
    ProcessHandle server = holderWithServer();
    holder.destroy(); // SIGTERM
    assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the holder exits");
    // its shutdown hook stopped the server and waited for it: gone before the holder was
    assertFalse(server.isAlive(), "no orphan server JVM");
  }

  @Test
  void aKilledParentTakesItsServerAlongToo() throws Exception {
    ProcessHandle server = holderWithServer();
    holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    server.onExit().get(30, TimeUnit.SECONDS);
    assertFalse(server.isAlive(), "no orphan server JVM");
  }
}
