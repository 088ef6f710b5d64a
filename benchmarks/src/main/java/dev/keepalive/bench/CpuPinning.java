package dev.keepalive.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Which CPUs the client and the harness server run on. Left to the scheduler, a 2-core machine runs
 * the benchmark JVM, the server JVM and both JITs on whichever core is free, and forks of one row
 * differ by 15–30 % (keep-alive at concurrency 16: forks at 50k and at 70k req/s); with the client
 * on one CPU and the server on the other the same row's forks agree within 2 %. The suite pins the
 * thread that starts the JMH forks (so the forks, which inherit its mask) to the client's CPUs with
 * {@code taskset} and passes the server's CPUs to the forks as {@code -D}{@value
 * #SERVER_CPUS_PROPERTY}; the server and the relay children start under {@code taskset -c} with
 * them.
 *
 * <p>Linux only ({@code taskset}, {@code /proc/self/status}). Thread-safety: stateless.
 */
public final class CpuPinning {

  /** The system property naming the CPUs the harness server and the relay run on. */
  public static final String SERVER_CPUS_PROPERTY = "keepalive.serverCpus";

  /** {@code 1}, {@code 0-3}, {@code 0,2,4-5}: a CPU list as {@code taskset -c} takes it. */
  private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

  private CpuPinning() {}

  /** The client's and the server's CPUs, as {@code taskset -c} lists. */
  public record Split(String client, String server) {
    @Override
    public String toString() {
      return "client on CPU " + client + ", server on CPU " + server;
    }
  }

  /**
   * The CPUs this process may run on, split in two halves (the lower for the client); null when
   * there are fewer than two, or the list cannot be read.
   */
  public static Split halves() {
    List<Integer> cpus = allowedCpus();
    if (cpus.size() < 2) {
      return null;
    }
    int half = cpus.size() / 2;
    return new Split(list(cpus.subList(0, half)), list(cpus.subList(half, cpus.size())));
  }

  /** Whether {@code taskset} can be run. */
  public static boolean tasksetAvailable() {
    try {
      Process p = new ProcessBuilder("taskset", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Pins the calling thread to {@code cpus} until the returned handle is closed, which restores its
   * mask: the processes it starts meanwhile (the JMH forks) inherit the mask, the rest of this JVM
   * keeps its own.
   *
   * @throws IOException when the thread's id cannot be read or {@code taskset} fails
   */
  public static AutoCloseableIo pinCurrentThread(String cpus) throws IOException {
    // /proc/thread-self -> <pid>/task/<tid>: the kernel's id of the calling thread
    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
    long tid = Long.parseLong(self.getFileName().toString());
    List<Integer> before = allowedCpus(Path.of("/proc", self.toString(), "status"));
    if (before.isEmpty()) {
      throw new IOException("cannot read the CPU mask of thread " + tid);
    }
    pin(tid, cpus);
    return () -> pin(tid, list(before));
  }

  /** A handle whose {@code close} may fail with an {@link IOException} only. */
  @FunctionalInterface
  public interface AutoCloseableIo extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** {@code taskset -p -c CPUS TID}: one thread's mask. */
  private static void pin(long tid, String cpus) throws IOException {
    check("CPU list", cpus);
    List<String> cmd = List.of("taskset", "-p", "-c", cpus, String.valueOf(tid));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", cmd) + " interrupted", e);
    }
  }

  /**
   * {@code taskset -c CPUS} to put before the command of a child the harness starts (the server,
   * the relay) when {@value #SERVER_CPUS_PROPERTY} is set; empty otherwise.
   *
   * @throws IllegalArgumentException when the property is not a CPU list
   */
  static List<String> serverPrefix() {
    String cpus = System.getProperty(SERVER_CPUS_PROPERTY);
    if (cpus == null || cpus.isBlank()) {
      return List.of();
    }
    check(SERVER_CPUS_PROPERTY, cpus.trim());
    return List.of("taskset", "-c", cpus.trim());
  }

  /**
   * @throws IllegalArgumentException naming {@code option} and the value, unless it is a CPU list
   */
  public static void check(String option, String cpus) {
    if (cpus == null || !CPU_LIST.matcher(cpus).matches()) {
      throw new IllegalArgumentException(
          option + " must be a CPU list such as 1, 0-3 or 0,2 (taskset -c), was '" + cpus + "'");
    }
  }

  /** The CPUs of {@code /proc/<pid>/status}'s {@code Cpus_allowed_list}; empty when unreadable. */
  public static List<Integer> allowedCpus(long pid) {
    return allowedCpus(Path.of("/proc", String.valueOf(pid), "status"));
  }

  private static List<Integer> allowedCpus(Path status) {
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (line.startsWith("Cpus_allowed_list:")) {
          return parse(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return List.of();
    }
    return List.of();
  }

  private static List<Integer> allowedCpus() {
    return allowedCpus(ProcessHandle.current().pid());
  }

  /** {@code 0-2,5} → [0, 1, 2, 5]. */
  static List<Integer> parse(String list) {
    check("CPU list", list);
    TreeSet<Integer> cpus = new TreeSet<>();
    for (String part : list.split(",")) {
      String[] range = part.split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      if (to < from) {
        throw new IllegalArgumentException("CPU range " + part + " runs backwards");
      }
      for (int c = from; c <= to; c++) {
        cpus.add(c);
      }
    }
    return new ArrayList<>(cpus);
  }

  /** [0, 1, 2, 5] → {@code 0,1,2,5}. */
  static String list(List<Integer> cpus) {
    return String.join(",", cpus.stream().map(String::valueOf).toList());
  }
}
