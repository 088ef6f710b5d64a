package dev.keepalive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The relay's command line: help, version, bad usage, and a relay in a JVM of its own. */
class RelayMainIT {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RelayMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpAndVersionExitZero() {
    Run help = run("--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().startsWith("usage: relay"), help.out());
    for (String flag :
        List.of("--to", "--rtt-ms", "--jitter-ms", "--bandwidth-mbit", "--idle-close-ms")) {
      assertTrue(help.out().contains(flag), flag + " in " + help.out());
    }
    assertTrue(help.out().contains("Exit codes:"), help.out());
    Run version = run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("keepalive-bench "), version.out());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--to 127.0.0.1:9 --rtt-ms -1 | relay: --rtt-ms must be in [0, 60000], was -1",
        "--to 127.0.0.1:9 --rtt-ms ten | --rtt-ms",
        "--to 127.0.0.1:9 --idle-close drop | --idle-close",
        "--to 127.0.0.1:9 --idle-close-ms -3 | relay: --idle-close-ms must be in [0, 86400000]",
        "--to 127.0.0.1:9 --bandwidth-mbit -1 | relay: --bandwidth-mbit must be in [0, 1000000]",
        "--to 127.0.0.1:9 --io-threads 0 | relay: --io-threads must be in [1, 16], was 0",
        "--to 127.0.0.1 | --to",
        "--to 127.0.0.1:70000 | --to",
        "--rtt-ms 5 | --to",
        "--to 127.0.0.1:9 --rtt-msec 5 | --rtt-msec"
      })
  void badUsageExitsTwoNamingTheFlag(String args, String expected) {
    Run r = run(args.trim().split(" "));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("relay: "), r.err());
    assertTrue(r.err().lines().findFirst().orElse("").contains(expected.trim()), r.err());
    assertEquals("", r.out());
  }

  @Test
  void aPortInUseExitsOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Run r = run("--to", "127.0.0.1:9", "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().startsWith("relay: cannot bind 127.0.0.1:"), r.err());
    }
  }

  @Test
  void aRelayInItsOwnJvmAnnouncesItselfRelaysAndStopsOnSigterm() throws Exception {
    long sockets = TestPeers.openSockets();
    try (TestPeers.Server echo = new TestPeers.Server(true)) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          new ArrayList<>(
              List.of(java, "-cp", System.getProperty("java.class.path"), RelayCommand.MAIN_CLASS));
      cmd.addAll(
          RelayCommand.argsFor(
              RelayOptions.builder().to("127.0.0.1", echo.port()).rttMillis(20).build()));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        RelayAnnouncement a = RelayAnnouncement.parse(out.readLine());
        assertTrue(a.description().contains("rtt 20 ms"), a.description());
        try (Socket s = new Socket(a.uris().get(0).getHost(), a.uris().get(0).getPort())) {
          s.setSoTimeout(5_000);
          s.getOutputStream().write('x');
          assertEquals('x', s.getInputStream().read());
          long start = System.nanoTime();
          s.getOutputStream().write('y');
          assertEquals('y', s.getInputStream().read());
          long reused = System.nanoTime() - start;
          assertTrue(reused >= TimeUnit.MILLISECONDS.toNanos(20), reused / 1000 + " µs");
        }
        HttpURLConnection c = (HttpURLConnection) a.statsUri().toURL().openConnection();
        try (var in = c.getInputStream()) {
          RelayStats stats =
              RelayStats.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          assertEquals(1, stats.connectionsAccepted());
          assertEquals(2, stats.bytesToServer());
        } finally {
          c.disconnect();
        }
      } finally {
        p.destroy(); // SIGTERM: the shutdown hook closes the relay
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the relay stops on SIGTERM");
      }
    }
    if (sockets >= 0) {
      assertEquals(sockets, TestPeers.awaitSocketsAtMost(sockets));
    }
  }
}
