package dev.keepalive.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * This process's open network (non-UNIX-domain) socket file descriptors, from {@code /proc/self/fd}
 * (Linux). UNIX-domain sockets are left out: the JDK or libc opens one lazily, once per JVM, and our
 * code never creates any.
 */
final class SocketFds {
  private SocketFds() {}

  /** The number of open sockets, or -1 where /proc is not available. */
  static long count() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    java.util.Set<String> unix = unixInodes();
    try (Stream<Path> s = Files.list(fds)) {
      return s.filter(p -> {
        try {
          String link = Files.readSymbolicLink(p).toString();
          return link.startsWith("socket:[") && !unix.contains(link.substring(8, link.length() - 1));
        } catch (IOException e) {
          return false; // closed while listing
        }
      }).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Inodes of this process's UNIX-domain sockets (last column of /proc/self/net/unix). */
  static java.util.Set<String> unixInodes() {
    java.util.Set<String> out = new java.util.HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/net/unix"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 7 && !f[0].equals("Num")) {
          out.add(f[6]);
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** Waits up to 5 s for the count to fall back to {@code before}; returns the last count. */
  static long awaitAtMost(long before) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    long now = count();
    while (now > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
      now = count();
    }
    return now;
  }
}
