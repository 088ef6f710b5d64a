package dev.keepalive.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerOptionsTest {

  @Test
  void defaultsAreNodesServerDefaults() {
    ServerOptions o = ServerOptions.builder().build();
    assertEquals("127.0.0.1", o.host());
    assertEquals(0, o.port());
    assertEquals(1, o.listeners());
    assertEquals(5000, o.idleTimeoutMillis());
    assertEquals(10_000, o.requestReadTimeoutMillis());
    assertEquals(0, o.maxRequestsPerConnection());
    assertEquals(0, o.keepAliveHintSeconds());
  }

  @Test
  void badBuilderOptionsNameTheOptionAndValue() {
    assertMessage(
        "listeners must be in [1, 64], was 0", () -> ServerOptions.builder().listeners(0).build());
    assertMessage(
        "port must be in [0, 65535], was -1", () -> ServerOptions.builder().port(-1).build());
    assertMessage(
        "port must be in [0, 65534], was 65535",
        () -> ServerOptions.builder().listeners(2).port(65535).build());
    assertMessage(
        "idleTimeoutMillis must be in [0, 2147483647], was -5",
        () -> ServerOptions.builder().idleTimeoutMillis(-5).build());
    assertMessage(
        "requestReadTimeoutMillis must be in [0, 2147483647], was -1",
        () -> ServerOptions.builder().requestReadTimeoutMillis(-1).build());
    assertMessage(
        "maxRequestsPerConnection must be in [0, 2147483647], was -1",
        () -> ServerOptions.builder().maxRequestsPerConnection(-1).build());
    assertMessage(
        "keepAliveHintSeconds must be in [0, 86400], was -2",
        () -> ServerOptions.builder().keepAliveHintSeconds(-2).build());
    assertMessage(
        "ioThreads must be in [1, 256], was 0", () -> ServerOptions.builder().ioThreads(0).build());
    assertMessage(
        "workerThreads must be in [1, 1024], was 0",
        () -> ServerOptions.builder().workerThreads(0).build());
    assertMessage(
        "host must be an address or name, was ' '",
        () -> ServerOptions.builder().host(" ").build());
  }

  private static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void flagsMapOntoTheBuilder() {
    ServerOptions o =
        Main.parse(
            new String[] {
              "--host",
              "127.0.0.2",
              "--port=9000",
              "--listeners",
              "3",
              "--idle-timeout-ms",
              "0",
              "--request-read-timeout-ms",
              "2500",
              "--max-requests-per-connection",
              "10",
              "--keep-alive-hint-s",
              "5",
              "--io-threads",
              "2",
              "--worker-threads",
              "3"
            });
    assertEquals("127.0.0.2", o.host());
    assertEquals(9000, o.port());
    assertEquals(3, o.listeners());
    assertEquals(0, o.idleTimeoutMillis());
    assertEquals(2500, o.requestReadTimeoutMillis());
    assertEquals(10, o.maxRequestsPerConnection());
    assertEquals(5, o.keepAliveHintSeconds());
    assertEquals(2, o.ioThreads());
    assertEquals(3, o.workerThreads());
    assertNull(Main.parse(new String[] {"--help"}));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--bogus                 | unknown flag '--bogus'",
        "--port abc              | --port must be a whole number, was 'abc'",
        "--port 70000            | --port must be in [0, 65535], was 70000",
        "--listeners 0           | --listeners must be in [1, 64], was 0",
        "--idle-timeout-ms -1    | --idle-timeout-ms must be in [0, 2147483647], was -1",
        "--request-read-timeout-ms -1 | --request-read-timeout-ms must be in [0, 2147483647], was -1",
        "--request-read-timeout-ms 1s | --request-read-timeout-ms must be a whole number, was '1s'",
        "--keep-alive-hint-s x   | --keep-alive-hint-s must be a whole number, was 'x'",
        "--port 1 --port 2       | --port may be given only once",
        "--listeners 2 --port 65535 | --port must be in [0, 65534], was 65535",
        "extra                   | unexpected argument 'extra'",
        "--io-threads            | --io-threads needs a value",
      })
  void badFlagsExitTwoNamingTheFlag(String args, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args.trim().split(" +"),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err));
    assertEquals(2, code);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("server: " + message + "\n"), text);
    assertTrue(text.contains("usage: server"), text);
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheFlagsWithTheBuildersDefaultsAndExitsZero() {
    Run r = run("--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("usage: server"), r.out());
    assertTrue(r.out().contains("--idle-timeout-ms=T"), r.out());
    assertTrue(
        r.out().contains("(default " + ServerOptions.DEFAULT_IDLE_TIMEOUT_MILLIS + ")"), r.out());
    assertTrue(r.out().contains("Exit codes:"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void versionPrintsTheProjectVersionAndCommitAndExitsZero() {
    Run r = run("--version");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().matches("keepalive-bench \\S+, (commit [0-9a-f]{7,}(-dirty)?|unknown commit)\\R"),
        r.out());
  }

  @Test
  void aBuildWithoutGitSaysUnknownCommit() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("version", "1.2.3");
    p.setProperty("commit", "");
    assertEquals("keepalive-bench 1.2.3, unknown commit", BuildVersion.describe(p));
    p.setProperty("commit", "0123456789ab");
    assertEquals("keepalive-bench 1.2.3, commit 0123456789ab", BuildVersion.describe(p));
  }
}
