package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pinning the suite asks for really happens: the harness server's JVM runs on the server's CPUs
 * only, and a process started by a pinned thread runs on the client's, while the rest of this JVM
 * and the thread itself afterwards keep their masks. Read from {@code /proc}, not from our code.
 */
class CpuPinningIT {

  private CpuPinning.Split split;

  @BeforeEach
  void twoCpus() {
    // CI's machine has 2 CPUs and taskset: this runs there
    assumeTrue(CpuPinning.tasksetAvailable(), "taskset");
    split = CpuPinning.halves();
    assumeTrue(split != null, "2 or more CPUs");
  }

  @Test
  void theServerChildRunsOnTheServersCpus() throws Exception {
    System.setProperty(CpuPinning.SERVER_CPUS_PROPERTY, split.server());
    try (TargetServer server = TargetServer.start("process", "", 1)) {
      List<ProcessHandle> children =
          ProcessHandle.current()
              .children()
              .filter(p -> commandLine(p.pid()).contains(ServerChild.class.getName()))
              .toList();
      assertEquals(1, children.size(), "the server's JVM: " + children);
      assertEquals(CpuPinning.parse(split.server()), CpuPinning.allowedCpus(children.get(0).pid()));
      assertTrue(server.stats().requests() >= 0); // it answers its control route
    } finally {
      System.clearProperty(CpuPinning.SERVER_CPUS_PROPERTY);
    }
  }

  @Test
  void aPinnedThreadsChildrenInheritItsMaskAndTheThreadGetsItsOwnBack() throws Exception {
    List<Integer> before = threadCpus();
    Process child;
    try (CpuPinning.AutoCloseableIo pinned = CpuPinning.pinCurrentThread(split.client())) {
      assertEquals(CpuPinning.parse(split.client()), threadCpus());
      child = new ProcessBuilder("sleep", "30").start();
    }
    try {
      assertEquals(CpuPinning.parse(split.client()), CpuPinning.allowedCpus(child.pid()));
      assertEquals(before, threadCpus(), "the thread's own mask is restored");
      assertEquals(
          before.size(),
          CpuPinning.allowedCpus(ProcessHandle.current().pid()).size(),
          "the JVM's main thread keeps its mask");
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void theProbeTimesEachCpuAndGivesTheThreadItsMaskBack() throws Exception {
    List<Integer> before = threadCpus();
    List<Double> millis = CpuSpeed.probe(List.of(0, 1));
    assertEquals(2, millis.size());
    for (double ms : millis) {
      // 4M interpreter steps: never instant, and not minutes even on a slow machine
      assertTrue(ms > 1 && ms < 30_000, "probe ms: " + millis);
    }
    assertEquals(before, threadCpus());
  }

  /** The process's command line from /proc (ProcessHandle.Info truncates long ones). */
  private static String commandLine(long pid) {
    try {
      return Files.readString(
              Path.of("/proc", String.valueOf(pid), "cmdline"), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  private static List<Integer> threadCpus() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        return CpuPinning.parse(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("no Cpus_allowed_list");
  }
}
