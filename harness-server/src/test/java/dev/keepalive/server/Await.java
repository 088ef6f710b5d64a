package dev.keepalive.server;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Waiting, in tests, for what the server does on its own IO threads. */
final class Await {
  private Await() {}

  /** The server's stats once {@code condition} holds, or after 5 s (the caller's assert fails). */
  static ServerStats stats(HarnessServer server, Predicate<ServerStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    ServerStats s = server.stats();
    while (!condition.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      s = server.stats();
    }
    return s;
  }

  /** True once {@code condition} holds, false after 5 s. */
  static boolean until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
