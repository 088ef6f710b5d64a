package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The machine and software a run was made on, captured when the run starts ({@code env.json} next
 * to {@code jmh.json}) so that a report made later, elsewhere, still describes the run.
 */
public record Environment(
    String date,
    String cpuModel,
    int cores,
    long memoryMiB,
    String os,
    String jdk,
    String gitCommit,
    double loadAverage) {

  /** An environment whose load was not recorded (runs from before the field). */
  public Environment(
      String date,
      String cpuModel,
      int cores,
      long memoryMiB,
      String os,
      String jdk,
      String gitCommit) {
    this(date, cpuModel, cores, memoryMiB, os, jdk, gitCommit, Double.NaN);
  }

  /** The file's name in a run folder, next to {@code jmh.json}. */
  public static final String FILE = "env.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** This machine, now. */
  public static Environment capture() {
    return new Environment(
        Instant.now().toString(),
        readCpuModel(),
        Runtime.getRuntime().availableProcessors(),
        readMemoryMiB(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")",
        System.getProperty("java.vendor")
            + " "
            + System.getProperty("java.runtime.version")
            + ", "
            + System.getProperty("java.vm.name"),
        readGitCommit(),
        readLoadAverage());
  }

  private static String readCpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }

  /** The 1-minute load average, NaN where the system does not tell. */
  private static double readLoadAverage() {
    double load =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? Double.NaN : load;
  }

  private static long readMemoryMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * {@code KEEPALIVE_GIT_COMMIT} if set (the scripts set it), else {@code git rev-parse}, else
   * unknown.
   */
  private static String readGitCommit() {
    String fromEnv = System.getenv("KEEPALIVE_GIT_COMMIT");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String dirty = "";
        Process d =
            new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").start();
        if (!new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank()) {
          dirty = " (with uncommitted changes)";
        }
        d.waitFor(5, TimeUnit.SECONDS);
        return out + dirty;
      }
      return "unknown (not a git checkout)";
    } catch (IOException e) {
      return "unknown (git not available)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  public void write(Path file) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("date", date)
        .put("cpuModel", cpuModel)
        .put("cores", cores)
        .put("memoryMiB", memoryMiB)
        .put("os", os)
        .put("jdk", jdk)
        .put("gitCommit", gitCommit);
    if (!Double.isNaN(loadAverage)) {
      n.put("loadAverage", loadAverage);
    }
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
  }

  /** The environment saved with a run, or null when the run has none. */
  public static Environment read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    JsonNode n = JSON.readTree(file.toFile());
    return new Environment(
        n.path("date").asText(),
        n.path("cpuModel").asText(),
        n.path("cores").asInt(),
        n.path("memoryMiB").asLong(),
        n.path("os").asText(),
        n.path("jdk").asText(),
        n.path("gitCommit").asText(),
        n.path("loadAverage").asDouble(Double.NaN));
  }

  /**
   * Whether the machine was busy when the run started: a load average of at least half its cores
   * (other work competing for the CPUs the client and server share). False when not recorded.
   */
  public boolean busy() {
    return loadAverage >= cores / 2.0;
  }

  /** "AMD EPYC, 2 cores, load 2.7 at the start": the machine in a few words. */
  public String machine() {
    return String.format(
        Locale.ROOT,
        "%s, %d core%s%s",
        cpuModel,
        cores,
        cores == 1 ? "" : "s",
        Double.isNaN(loadAverage)
            ? ""
            : String.format(Locale.ROOT, ", load %.1f at the start", loadAverage));
  }

  /** Markdown bullet lines. */
  public String markdown() {
    return String.format(
        Locale.ROOT,
        "- date: %s; git commit: %s%n- machine: %s, %,d MiB memory; %s%n- JDK: %s%n",
        date,
        gitCommit,
        machine(),
        memoryMiB,
        os,
        jdk);
  }
}
