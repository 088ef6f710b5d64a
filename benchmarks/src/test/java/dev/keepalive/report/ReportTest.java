package dev.keepalive.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Report rendering from a golden run: the JMH JSON, env.json and histograms of a real suite
 * --quick.
 */
class ReportTest {

  @TempDir Path tmp;

  static Path golden(String name) throws URISyntaxException {
    return Path.of(ReportTest.class.getResource("/golden/" + name).toURI());
  }

  private Path copyOfGoldenRun() throws Exception {
    Path src = golden("quick");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : files.toList()) {
        Path dst = tmp.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    }
    return tmp;
  }

  @Test
  void theCpuSpeedLineSaysHowFarEachCpuVaried() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(
        "; CPU speed before each fork (a fixed probe): CPU 0 at 96–100 %, CPU 1 at 91–100 % of its"
            + " fastest",
        Report.cpuSpeed(json.readTree("{\"cpus\":[0,1],\"slowestPercent\":[96.2,91.9]}")));
    String slow = Report.cpuSpeed(json.readTree("{\"cpus\":[0,1],\"slowestPercent\":[64.9,99.0]}"));
    assertTrue(slow.contains("CPU 0 at 64–100 %"), slow);
    assertTrue(slow.contains("the host gave this machine's CPUs less time"), slow);
    assertEquals("", Report.cpuSpeed(json.readTree("{}")), "no probe, no claim");
  }

  @Test
  void rendersEveryRowSlowestFirstWithTheEnvironment() throws Exception {
    Path run = copyOfGoldenRun();
    Report.Written w = Report.write(run);
    String md = w.markdown();
    for (String s :
        List.of(
            "no-agent",
            "keep-alive",
            "max-sockets-4",
            "jdk-httpclient",
            "raw-socket",
            "max-total-4")) {
      assertTrue(md.contains("| " + s + " |"), s + "\n" + md);
    }
    assertTrue(md.contains("- machine: "), md);
    assertTrue(md.contains("git commit: "), md);
    assertTrue(md.contains("- JMH 1.37: 1 fork(s)"), md);
    assertTrue(md.contains("- server: harness-server in its own JVM"), md);
    assertTrue(md.contains("### concurrency 16, payload 13 B\n"), md);
    assertTrue(md.contains("coordinated"), "the closed-loop caveat is stated");
    assertEquals(md, Files.readString(run.resolve("summary.md")));

    List<SummaryTable.Row> rows = SummaryTable.read(run.resolve("jmh.json"), run.resolve("hdr"));
    assertEquals(11, rows.size());
    SummaryTable.Row ka =
        rows.stream()
            .filter(r -> r.strategy().equals("keep-alive") && r.concurrency() == 16)
            .findFirst()
            .orElseThrow();
    assertTrue(
        ka.p50Micros() > 0 && ka.p50Micros() <= ka.p99Micros() && ka.p99Micros() <= ka.p999Micros(),
        ka.toString());
    // rows of a table are sorted slowest first
    String table = md.substring(md.indexOf("### concurrency 16, payload 13 B\n"));
    table = table.substring(0, table.indexOf("\n\n", table.indexOf("|---")));
    double previous = -1;
    for (String line :
        table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| strategy")).toList()) {
      double tput = Double.parseDouble(line.split("\\|")[2].trim().split(" ")[0].replace(",", ""));
      assertTrue(tput >= previous, "slowest first: " + table);
      previous = tput;
    }
    assertTrue(table.contains("| 1.00× |"), "the keep-alive row is 1.00× itself: " + table);
  }

  /** The notes once said "shared 2-core VM" and "loopback" whatever the run was. */
  @Test
  void theProseComesFromTheRunNotFromTheMachineItWasWrittenOn() throws Exception {
    Path run = copyOfGoldenRun();
    new Environment(
            "2026-12-01T00:00:00Z", "Test CPU 9000", 64, 4096, "Linux", "JDK 17", "abc", 50.0)
        .write(run.resolve(Environment.FILE));
    Path json = run.resolve("jmh.json");
    Files.writeString(
        json,
        Files.readString(json)
            .replace("\"forks\" : 1,", "\"forks\" : 3,")
            .replace("\"measurementIterations\" : 3,", "\"measurementIterations\" : 7,"));
    String md = Report.render(run).markdown().replace('\n', ' ');
    assertTrue(md.contains("Measured on Test CPU 9000, 64 cores, load 50.0 at the start"), md);
    assertTrue(md.contains("a busy machine"), md);
    assertTrue(md.contains("where a new connection added "), md);
    for (String baked :
        List.of("2-core", "shared", "2 forks", "t = 31.6", "tens of microseconds", "20-30%")) {
      assertFalse(md.contains(baked), baked + ": " + md);
    }
    Files.delete(run.resolve(Environment.FILE));
    md = Report.render(run).markdown();
    assertTrue(md.contains("no env.json"), md);
  }

  /** Throughput bars once had no interval; pooled rows vanished next to no-agent's thousand. */
  @Test
  void throughputHasErrorBarsAndEveryConnectionsRowIsReadable() throws Exception {
    Path run = copyOfGoldenRun();
    List<SummaryTable.Row> rows = SummaryTable.read(run.resolve("jmh.json"), run.resolve("hdr"));
    org.knowm.xchart.CategoryChart throughput = Charts.throughput(rows, "t");
    org.knowm.xchart.CategorySeries keepAlive = throughput.getSeries("keep-alive");
    double[] errors = keepAlive.getExtraValues();
    assertTrue(errors != null && errors.length == keepAlive.getYData().length);
    SummaryTable.Row c16 =
        rows.stream()
            .filter(r -> r.strategy().equals("keep-alive") && r.concurrency() == 16)
            .findFirst()
            .orElseThrow();
    assertTrue(
        java.util.Arrays.stream(errors).anyMatch(e -> e == c16.throughputError()),
        java.util.Arrays.toString(errors));

    org.knowm.xchart.CategoryChart connections = Charts.connections(rows);
    assertTrue(connections.getStyler().isYAxisLogarithmic());
    assertTrue(connections.getStyler().isLabelsVisible(), "every bar says its value");
    for (org.knowm.xchart.CategorySeries s : connections.getSeriesCollection()) {
      for (double y : s.getYData()) {
        assertTrue(y >= Charts.CONNECTIONS_FLOOR, s.getName() + ": " + y);
      }
    }
    assertEquals("0", Charts.connectionsLabel(Charts.CONNECTIONS_FLOOR));
    assertEquals("0.4", Charts.connectionsLabel(0.4));
    assertEquals("1,000", Charts.connectionsLabel(1000));
  }

  @Test
  void chartsAreValidPngsOfASensibleSize() throws Exception {
    Path run = copyOfGoldenRun();
    Report.Written w = Report.write(run);
    assertTrue(w.charts().contains("throughput.png"));
    assertTrue(w.charts().contains("connections.png"));
    assertTrue(w.charts().stream().anyMatch(c -> c.startsWith("latency-")));
    for (String c : w.charts()) {
      Path png = run.resolve(c);
      try (InputStream in = Files.newInputStream(png)) {
        BufferedImage img = ImageIO.read(in);
        assertTrue(img != null, c + " is a PNG");
        assertEquals(1400, img.getWidth(), c);
        assertEquals(700, img.getHeight(), c);
      }
      assertTrue(Files.size(png) > 10_000, c + " has content: " + Files.size(png) + " bytes");
      assertTrue(w.markdown().contains("](" + c + ")"), c + " is linked from the summary");
    }
  }

  @Test
  void theLatencyLogGivesAPercentileCurve() throws Exception {
    double[][] xy =
        Charts.percentileCurve(
            HistogramLogs.read(
                golden("quick/hdr/StrategyBenchmark-keep-alive-c16-p13-o1-thrpt.hlog"),
                HistogramLogs.TOTAL));
    assertTrue(xy[0].length > 10);
    for (int i = 1; i < xy[0].length; i++) {
      assertTrue(xy[0][i] >= xy[0][i - 1] && xy[1][i] >= xy[1][i - 1], "monotonic at " + i);
    }
    assertEquals("0%", Charts.percentileLabel(1));
    assertEquals("90%", Charts.percentileLabel(10));
    assertEquals("99.9%", Charts.percentileLabel(1000));
  }

  /**
   * Charts read the {@code .hlog}; the {@code .hgrm} they used to parse is the same distribution:
   * HdrHistogram prints the log's total histogram as exactly the golden {@code .hgrm} text, and the
   * curve has a point for every line of it but the last (the 100th percentile).
   */
  @Test
  void theLatencyLogHoldsTheDistributionOfTheHgrm() throws Exception {
    try (Stream<Path> files = Files.list(golden("quick/hdr"))) {
      List<Path> hgrms = files.filter(p -> p.toString().endsWith(".hgrm")).toList();
      assertEquals(11, hgrms.size());
      for (Path hgrm : hgrms) {
        Path hlog = Path.of(hgrm.toString().replaceAll("\\.hgrm$", ".hlog"));
        Histogram total = HistogramLogs.read(hlog, HistogramLogs.TOTAL);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        total.outputPercentileDistribution(new PrintStream(text, true, UTF_8), 1000.0);
        assertEquals(Files.readString(hgrm), text.toString(UTF_8), hgrm.toString());
        long lines =
            Files.readAllLines(hgrm).stream()
                .filter(l -> l.trim().split("\\s+").length == 4 && !l.contains("Value"))
                .count();
        assertEquals(lines, Charts.percentileCurve(total)[0].length, hgrm.toString());
      }
    }
  }

  @Test
  void malformedInputIsOneClearError() throws Exception {
    Path notJson = tmp.resolve("jmh.json");
    Files.writeString(notJson, "this is not json");
    IOException e = assertThrows(IOException.class, () -> Report.write(notJson));
    assertTrue(e.getMessage().contains("is not JSON"), e.getMessage());
    Files.writeString(notJson, "{\"a\": 1}");
    e = assertThrows(IOException.class, () -> Report.write(notJson));
    assertTrue(e.getMessage().contains("not a JMH JSON result array"), e.getMessage());
    e = assertThrows(IOException.class, () -> Report.write(tmp.resolve("missing")));
    assertTrue(e.getMessage().contains("no JMH result file"), e.getMessage());
  }
}
