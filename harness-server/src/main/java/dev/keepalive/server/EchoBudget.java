package dev.keepalive.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all {@code /echo} bodies being buffered at once may take: a quarter of the heap, and at
 * least one largest body ({@link HarnessServer#MAX_BODY_BYTES}). An upload that would go over it is
 * refused with 503 (six 60 MB uploads at {@code -Xmx256m} used to end in an OutOfMemoryError).
 *
 * <p>Thread-safety: atomic; shared by every connection of a server.
 */
final class EchoBudget {

  private final long limitBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  EchoBudget(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  static EchoBudget forThisHeap() {
    return new EchoBudget(
        Math.max(HarnessServer.MAX_BODY_BYTES, Runtime.getRuntime().maxMemory() / 4));
  }

  long limitBytes() {
    return limitBytes;
  }

  long usedBytes() {
    return usedBytes.get();
  }

  /** Takes {@code bytes} if they fit; false (and nothing taken) when they do not. */
  boolean tryTake(long bytes) {
    long used;
    do {
      used = usedBytes.get();
      if (used + bytes > limitBytes) {
        return false;
      }
    } while (!usedBytes.compareAndSet(used, used + bytes));
    return true;
  }

  void give(long bytes) {
    usedBytes.addAndGet(-bytes);
  }
}
