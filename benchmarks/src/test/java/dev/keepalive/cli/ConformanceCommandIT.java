package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keepalive.agent.NodeVersion;
import dev.keepalive.conformance.NodeBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conformance} as a user runs it: a real Node binary gives the table with a match and a
 * documented difference (exit 0); a binary that lies about what it did gives DIFFER (exit 1); a
 * binary of an unsupported line is bad usage (exit 2).
 */
class ConformanceCommandIT {

  /** A stand-in for node: answers --version, and prints {@code results} for a scenario run. */
  private static Path fakeNode(Path dir, String version, String results) throws Exception {
    Path node = dir.resolve("node");
    Files.writeString(
        node,
        "#!/bin/sh\n"
            + "if [ \"$1\" = --version ]; then echo "
            + version
            + "; exit 0; fi\n"
            + "echo '"
            + results
            + "'\n");
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwx------"));
    return node;
  }

  @Test
  void aRealNodeMatchesAndShowsTheDocumentedDifference() throws Exception {
    Optional<Path> node = Optional.empty();
    try {
      node = Optional.of(NodeBinaries.get(NodeVersion.V24));
    } catch (NodeBinaries.Unavailable e) {
      assumeTrue(NodeBinaries.required(), "Node 24 is not available (" + e.getMessage() + ")");
      throw e;
    }
    Cli.Run r =
        Cli.run(
            "conformance",
            "--node",
            node.get().toString(),
            "--scenario",
            "serialKeepAlive|obsFoldInAHeader");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("### Node v24.22.3 against nodeVersion 24"), r.out());
    assertTrue(r.out().contains("2 scenarios: 1 match, 1 differ (documented)"), r.out());
    assertTrue(r.out().contains("| serialKeepAlive | §5 pool hit | match |"), r.out());
    assertTrue(r.out().contains("node: 0.0 A keep-alive error malformed"), r.out());
    assertTrue(r.out().contains("ours: 0.0 A keep-alive 200 ok"), r.out());
  }

  @Test
  void aDifferenceNothingDocumentsExitsOne(@TempDir Path dir) throws Exception {
    // claims four answered requests the server never saw, on both runs
    String results =
        "{\"results\": [["
            + "{\"round\":0,\"index\":0,\"status\":200,\"body\":\"ok\",\"reused\":false,\"error\":null},"
            + "{\"round\":1,\"index\":0,\"status\":200,\"body\":\"ok\",\"reused\":true,\"error\":null},"
            + "{\"round\":2,\"index\":0,\"status\":200,\"body\":\"ok\",\"reused\":true,\"error\":null},"
            + "{\"round\":3,\"index\":0,\"status\":200,\"body\":\"ok\",\"reused\":true,\"error\":null}"
            + "]]}";
    Path node = fakeNode(dir, "v24.0.0", results);
    Cli.Run r = Cli.run("conformance", "--node", node.toString(), "--scenario", "serialKeepAlive");
    assertEquals(1, r.code(), r.err());
    assertTrue(
        r.out().contains("| serialKeepAlive | §5 pool hit | DIFFER (second run) |"), r.out());
    assertTrue(r.out().contains("node: 0.0 - 200 ok"), r.out());
    assertTrue(r.out().contains("ours: 0.0 A keep-alive 200 ok"), r.out());
  }

  @Test
  void aNodeOfAnotherLineIsBadUsage(@TempDir Path dir) throws Exception {
    Path node = fakeNode(dir, "v18.20.0", "{}");
    Cli.Run r = Cli.run("conformance", "--node", node.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "conformance: --node: "
            + node
            + " is Node v18.20.0: nodeVersion must be one of 20, 22, 24, 26, was 'v18.20.0'\n",
        r.err());
  }
}
