package dev.keepalive.net;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes a loop's selector at its next timer, to the nanosecond as far as the OS allows.
 *
 * <p>Why a thread of its own: {@link Selector#select(long)} takes whole milliseconds, so a loop
 * that slept in it would deliver every byte up to 1 ms late (0.5 ms on average per direction: 10 %
 * of a 10 ms RTT). Sleeping in {@link LockSupport#parkNanos} instead would be precise but deaf to
 * I/O. So the loop sleeps in {@code select()} and this thread parks until the earliest timer, then
 * calls {@link Selector#wakeup()}: about 0.1 ms of lateness per direction, and no connection waits
 * for another. At RTT 0 no timer is ever armed and this thread stays parked.
 *
 * <p>Thread-safety: {@link #aim} is called by the loop's thread; the target is an atomic.
 */
final class Ticker implements Runnable {
  private static final long NONE = Long.MAX_VALUE;

  private final Selector selector;
  private final AtomicLong targetNanos = new AtomicLong(NONE);
  private final Thread thread;
  private volatile boolean stopped;

  Ticker(Selector selector, String name) {
    this.selector = selector;
    this.thread = new Thread(this, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The loop's earliest timer, {@link Long#MAX_VALUE} for none. */
  void aim(long dueNanos) {
    long previous = targetNanos.getAndSet(dueNanos);
    if (dueNanos < previous) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void run() {
    while (!stopped) {
      long target = targetNanos.get();
      if (target == NONE) {
        LockSupport.park(this);
        continue;
      }
      long waitNanos = target - System.nanoTime();
      if (waitNanos > 0) {
        LockSupport.parkNanos(this, waitNanos);
      } else if (targetNanos.compareAndSet(target, NONE)) {
        selector.wakeup();
      }
    }
  }

  void stop() throws InterruptedException {
    stopped = true;
    LockSupport.unpark(thread);
    thread.join(5_000);
  }
}
