package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keepalive.bench.CpuPinning;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's rounds through real JMH forks: a row asked for two forks gets two, and every file
 * that holds results holds both (jmh.json, a -rff of the user's, precision.json).
 */
class SuiteRoundsIT {

  @TempDir Path tmp;

  @Test
  void everyForkOfARowLandsInEveryResultFile() throws Exception {
    Path out = tmp.resolve("run");
    Path rff = tmp.resolve("mine.json");
    Cli.Run r =
        Cli.run(
            "suite",
            "--quick",
            "-p",
            "strategy=keep-alive",
            "-p",
            "concurrency=1",
            "--min-forks",
            "2",
            "--max-forks",
            "2",
            "--max-error",
            "100",
            // pinned, a fork's JIT shares its one CPU: 8 × 1 s of warm-up so that the measured
            // iterations are past the climb (with 8 × 500 ms a fork was once still at 5k → 25k)
            "-w",
            "1s",
            "-i",
            "2",
            "-r",
            "200ms",
            "-jvmArgsAppend",
            "-Dkeepalive.userArg=kept",
            "-rf",
            "json",
            "-rff",
            rff.toString(),
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("round 2 [1/1] keep-alive"), r.out());
    assertTrue(r.out().contains("1 of 1 rows within ±100 %"), r.out());
    ObjectMapper json = new ObjectMapper();
    for (Path file : new Path[] {out.resolve("jmh.json"), rff}) {
      JsonNode entries = json.readTree(file.toFile());
      assertEquals(1, entries.size(), file.toString());
      JsonNode e = entries.get(0);
      assertEquals(2, e.path("forks").asInt(), file.toString());
      assertEquals(2, e.path("primaryMetric").path("rawData").size(), file.toString());
      assertEquals(2, e.path("primaryMetric").path("rawData").get(1).size(), file.toString());
    }
    JsonNode precision = json.readTree(out.resolve(Rounds.PRECISION_JSON).toFile());
    assertEquals(2, precision.path("rounds").asInt());
    assertEquals(2, precision.path("rows").get(0).path("forks").asInt());
    assertEquals("precision", precision.path("rows").get(0).path("stop").asText());
    if (CpuPinning.tasksetAvailable()) { // CI's machine: every CPU probed before each fork
      JsonNode probe = precision.path("cpuProbe");
      assertEquals(
          CpuPinning.allowedCpus(ProcessHandle.current().pid()).size(),
          probe.path("cpus").size(),
          probe.toString());
      JsonNode perFork = precision.path("rows").get(0).path("cpuProbeMillis");
      assertEquals(2, perFork.size(), "one probe per fork: " + perFork);
      assertTrue(perFork.get(1).get(0).asDouble() > 0, perFork.toString());
      assertTrue(
          Files.readString(out.resolve("summary.md")).contains("CPU speed before each fork"),
          "the summary says how far the CPUs' speed varied");
      assertTrue(r.out().contains("; CPU speed before each fork (a fixed probe): CPU "), r.out());
    }
    String jvmArgs =
        json.readTree(out.resolve("jmh.json").toFile()).get(0).path("jvmArgs").toString();
    assertTrue(
        jvmArgs.contains("-Dkeepalive.userArg=kept"), "the user's -jvmArgsAppend: " + jvmArgs);
    CpuPinning.Split split = CpuPinning.tasksetAvailable() ? CpuPinning.halves() : null;
    if (split != null) { // CI's machine: 2 CPUs, taskset
      assertTrue(
          jvmArgs.contains("-D" + CpuPinning.SERVER_CPUS_PROPERTY + "=" + split.server()), jvmArgs);
      assertEquals(split.toString(), precision.path("pinning").asText());
      assertTrue(r.out().contains("; " + split), r.out());
    } else {
      assertTrue(precision.path("pinning").asText().startsWith("not pinned"), precision.toString());
    }
  }
}
