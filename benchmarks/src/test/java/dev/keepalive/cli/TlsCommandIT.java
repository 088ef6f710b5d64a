package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from the command line: {@code server --tls --tls-cert-out} in its own process, and {@code
 * probe --ca} against it — reuse and resumption read from the probe's JSON and the server's ports.
 */
class TlsCommandIT {

  @Test
  void probeOverTlsReusesOneConnectionAndCloseResumeResumes(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("server.pem");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.keepalive.cli.Main",
                "server",
                "--tls",
                "--tls-cert-out",
                pem.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.contains("https://127.0.0.1:"), "first line: " + line);
      String url = line.substring(line.indexOf("https://")).split("\\s")[0];
      assertTrue(Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));

      JsonNode keepAlive = probe("--keep-alive", "--ca", pem.toString(), "--rounds", "1,1,1", url);
      assertEquals(1, keepAlive.get("connectionsOpened").asInt());
      assertEquals(1, keepAlive.get("stats").get("tlsHandshakeCount").asInt());
      assertEquals(1, ports(keepAlive).size(), "one client port, as the server saw it");
      JsonNode first = keepAlive.get("perRequest").get(0).get("timings");
      assertTrue(
          first.get("secureConnect").asDouble() >= first.get("connect").asDouble(),
          first.toString());

      JsonNode closeResume = probe("--ca", pem.toString(), "--rounds", "1,1,1", url);
      assertEquals(3, ports(closeResume).size(), "a connection per request");
      assertEquals(2, closeResume.get("stats").get("tlsResumedCount").asInt());

      JsonNode noAgent = probe("--no-agent", "--ca", pem.toString(), "--rounds", "1,1,1", url);
      assertEquals(3, ports(noAgent).size());
      assertEquals(0, noAgent.get("stats").get("tlsResumedCount").asInt(), "agent: false");

      Cli.Run untrusted = Cli.run("probe", "--keep-alive", url);
      assertEquals(1, untrusted.code(), untrusted.err());
      JsonNode e = new ObjectMapper().readTree(untrusted.out()).get("perRequest").get(0);
      assertEquals("tls", e.get("error").get("class").asText());
    } finally {
      server.destroy();
      assertTrue(server.waitFor(10, TimeUnit.SECONDS), "the server stops on SIGTERM");
    }
  }

  @Test
  void tlsFlagsAreCheckedByTheBuildersAndNamedByFlag() {
    Cli.Run r = Cli.run("probe", "--tls-max-version", "TLSv1.1", "https://127.0.0.1:1/");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("--tls-max-version must be one of TLSv1.2, TLSv1.3, was 'TLSv1.1'"),
        r.err());
    Cli.Run s = Cli.run("server", "--tls-cert-out", "/tmp/x.pem");
    assertEquals(2, s.code());
    assertTrue(s.err().contains("--tls-cert-out needs tls, which is off"), s.err());
  }

  private static JsonNode probe(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "probe";
    all[1] = "--include-headers";
    System.arraycopy(args, 0, all, 2, args.length);
    Cli.Run r = Cli.run(all);
    assertEquals(0, r.code(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  /** The client ports the server saw ({@code X-Client-Port}). */
  private static Set<String> ports(JsonNode probe) {
    Set<String> ports = new HashSet<>();
    for (JsonNode e : probe.get("perRequest")) {
      for (JsonNode h : e.get("headers")) {
        if (h.get(0).asText().equals("X-Client-Port")) {
          ports.add(h.get(1).asText());
        }
      }
    }
    return ports;
  }
}
