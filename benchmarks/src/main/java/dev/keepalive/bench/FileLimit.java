package dev.keepalive.bench;

import java.lang.management.ManagementFactory;

/**
 * This process's limit on open file descriptors ({@code ulimit -n}), checked before a load that
 * needs many connections starts, so that it fails with one clear line instead of a run of {@code
 * EMFILE} errors. (Java cannot raise the limit itself; HotSpot already raises the soft limit to the
 * hard one at startup on Linux, {@code -XX:+MaxFDLimit}, so what is left is the hard limit.)
 */
final class FileLimit {

  /** Descriptors a JVM holds besides the load's sockets (jars, selectors, pipes), generously. */
  static final long HEADROOM = 256;

  /** Room above the steady number in flight, for bursts while the client catches up: 25 %. */
  static final double BURST_FACTOR = 1.25;

  private FileLimit() {}

  /**
   * Sockets an open loop may hold at once: the requests in flight at the unloaded latency (server
   * delay and RTT, at least 1 ms) with {@link #BURST_FACTOR}, within the strategy's bound.
   *
   * @param bound the most sockets the strategy opens (its per-origin bound × origins), or a
   *     negative or overflowed value for none
   */
  static long forRate(int rate, int latencyMillis, long bound) {
    long inFlight = (long) Math.ceil(rate * Math.max(1, latencyMillis) / 1000.0 * BURST_FACTOR);
    return bound > 0 ? Math.min(inFlight, bound) : inFlight;
  }

  /** The limit, or -1 where the platform does not say. */
  static long max() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /**
   * @param sockets sockets the load may hold open at once in this process
   * @param why what needs them, for the message
   * @throws IllegalStateException naming the need, the limit and the fix
   */
  static void require(long sockets, String why) {
    long max = max();
    long needed = sockets + HEADROOM;
    if (max >= 0 && max < needed) {
      throw new IllegalStateException(
          why
              + " needs about "
              + needed
              + " file descriptors ("
              + sockets
              + " sockets + "
              + HEADROOM
              + "), but this process may open "
              + max
              + ": raise the limit before starting (ulimit -n "
              + needed
              + ", or the hard limit in /etc/security/limits.conf) or lower the load");
    }
  }
}
