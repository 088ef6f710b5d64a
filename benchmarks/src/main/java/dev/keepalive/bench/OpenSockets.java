package dev.keepalive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Open network (non-UNIX-domain) socket file descriptors of this process, from {@code
 * /proc/self/fd} (Linux only). UNIX-domain sockets are left out: the JDK or libc opens one lazily,
 * once per JVM, and our code never creates any.
 */
public final class OpenSockets {
  private OpenSockets() {}

  /** The count, or -1 where {@code /proc} is not available. */
  public static long count() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    java.util.Set<String> unix = unixInodes();
    try (Stream<Path> s = Files.list(fds)) {
      return s.filter(fd -> isNetworkSocket(fd, unix)).count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean isNetworkSocket(Path fd, java.util.Set<String> unixInodes) {
    try {
      String link = Files.readSymbolicLink(fd).toString();
      return link.startsWith("socket:[")
          && !unixInodes.contains(link.substring(8, link.length() - 1));
    } catch (IOException e) {
      return false; // closed while listing
    }
  }

  private static java.util.Set<String> unixInodes() {
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
}
