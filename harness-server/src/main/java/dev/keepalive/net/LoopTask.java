package dev.keepalive.net;

import java.util.Comparator;

/**
 * Something a {@link RelayLoop} runs at a given time: a direction's next delivery, a flow's idle
 * check. A task is in its loop's timer queue at most once ({@link #armed}); a task that fires for a
 * flow already closed does nothing.
 *
 * <p>Thread-safety: confined to its loop.
 */
abstract class LoopTask {
  static final Comparator<LoopTask> ORDER =
      Comparator.<LoopTask>comparingLong(t -> t.dueNanos).thenComparingLong(t -> t.seq);

  long dueNanos;
  long seq;
  boolean armed;

  /** Runs the task; {@code nowNanos >= dueNanos}. */
  abstract void fire(long nowNanos);

  /** A one-off task from a lambda. */
  static LoopTask of(java.util.function.LongConsumer action) {
    return new LoopTask() {
      @Override
      void fire(long nowNanos) {
        action.accept(nowNanos);
      }
    };
  }
}
