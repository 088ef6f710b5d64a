package dev.keepalive.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A single-threaded NIO event loop: a selector, a task queue and timers. Whoever runs it owns it:
 * either its own background thread ({@link #startThread}) or a caller that drives it with {@link
 * #runOnce} (a benchmark thread, as Node's caller shares its loop). Everything registered with it —
 * the pool, the connections — is confined to the owning thread; other threads only {@link #execute}
 * tasks.
 */
final class EventLoop implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("dev.keepalive.agent");

  /**
   * How early a timer may be treated as due: the loop waits for its next timer in whole
   * milliseconds ({@link #step}), so timers fire up to this late anyway.
   */
  static final long TIMER_RESOLUTION_NANOS = 1_000_000;

  /** Selection-key attachments: called on the loop thread when their channel is ready. */
  interface Handler {
    void onReady(SelectionKey key);
  }

  /** A scheduled task; cancel it with {@link #cancel()}. */
  static final class Timer implements Comparable<Timer> {
    final long deadlineNanos;
    final Runnable task;
    final long seq;
    boolean cancelled;

    Timer(long deadlineNanos, Runnable task, long seq) {
      this.deadlineNanos = deadlineNanos;
      this.task = task;
      this.seq = seq;
    }

    void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(deadlineNanos - o.deadlineNanos, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> external = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Runnable> local = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private volatile Thread owner;
  private volatile boolean closed;
  private long timerSeq;
  private Thread thread;
  private final Consumer<SelectionKey> dispatch = EventLoop::dispatch;

  /** Told once, on the loop, when a step failed: it must end every piece of work in flight. */
  private Consumer<Throwable> onFailure = t -> {};

  private volatile Throwable failure;

  static {
    JdkWarmUp.run();
  }

  EventLoop() {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
  }

  /** Sets what the loop does when a step fails with anything (a bug, an Error): before use. */
  void onFailure(Consumer<Throwable> handler) {
    this.onFailure = handler;
  }

  /** The Throwable that stopped the loop, or null. */
  Throwable failure() {
    return failure;
  }

  Selector selector() {
    return selector;
  }

  boolean inLoop() {
    return Thread.currentThread() == owner;
  }

  /** Runs the loop on a daemon thread of its own until {@link #close()}. */
  synchronized void startThread(String name) {
    if (thread != null) {
      throw new IllegalStateException("loop thread already started");
    }
    thread =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  runOnce(Long.MAX_VALUE);
                } catch (Throwable t) {
                  break; // the loop failed: its owner has failed every request (see fail)
                }
              }
              runTasksGuarded(); // tasks posted while closing (they see the agent closed)
              closeSelector();
            },
            name);
    thread.setDaemon(true);
    owner = thread;
    thread.start();
  }

  /**
   * Makes the calling thread the owner of a loop that has no running thread of its own (a driven
   * loop, or one whose thread has stopped), e.g. to shut it down from the thread that closes it.
   */
  void adopt() {
    Thread t = thread;
    if (t != null && closed && t != Thread.currentThread()) {
      try {
        t.join(10_000); // it may still be failing the requests of a failed step: let it finish
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        throw new IllegalStateException("the loop thread " + t.getName() + " did not stop");
      }
    }
    if (t == null || closed) {
      owner = Thread.currentThread();
    } else if (!inLoop()) {
      throw new IllegalStateException("this loop is run by its own thread " + t.getName());
    }
  }

  boolean hasThread() {
    return thread != null;
  }

  /** Runs {@code task} on the loop: after the current step when called on the loop, else soon. */
  void execute(Runnable task) {
    if (inLoop()) {
      local.add(task);
    } else {
      external.add(task);
      wakeup();
    }
  }

  void wakeup() {
    if (wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** Schedules {@code task} after {@code delayNanos}; loop thread only. */
  Timer schedule(long delayNanos, Runnable task) {
    assert inLoop() : "timers belong to the loop thread";
    Timer t = new Timer(System.nanoTime() + delayNanos, task, timerSeq++);
    timers.add(t);
    return t;
  }

  /**
   * One step: waits up to {@code maxWaitNanos} for I/O (not at all if tasks are pending), handles
   * ready channels, due timers and queued tasks. The calling thread becomes the loop's owner.
   */
  void runOnce(long maxWaitNanos) {
    Thread current = Thread.currentThread();
    if (owner != current) {
      if (thread != null) {
        throw new IllegalStateException("this loop is run by its own thread " + thread.getName());
      }
      owner = current;
    }
    if (failure != null) {
      return; // failed earlier: nothing is left to run
    }
    try {
      step(maxWaitNanos);
    } catch (Throwable t) {
      fail(t);
      throw t;
    }
  }

  /**
   * A step threw: whatever it was (a bug, an Error such as running out of memory or of file
   * descriptors inside the JDK), the loop can no longer be trusted. It stops, its owner fails every
   * request in flight (so each still ends, classified), and tasks already posted run.
   */
  private void fail(Throwable t) {
    if (failure != null) {
      return;
    }
    failure = t;
    closed = true;
    try {
      LOG.log(Level.ERROR, "the agent's event loop failed; every request in flight fails", t);
      onFailure.accept(t);
    } catch (Throwable again) {
      t.addSuppressed(again);
    }
    runTasksGuarded();
  }

  private void step(long maxWaitNanos) {
    long wait = maxWaitNanos;
    if (!local.isEmpty() || !external.isEmpty()) {
      wait = 0;
    } else {
      Timer next = peekTimer();
      if (next != null) {
        wait = Math.min(wait, Math.max(0, next.deadlineNanos - System.nanoTime()));
      }
    }
    try {
      // the action form hands each ready key over without an iterator or a selected-key set
      if (wait <= 0) {
        selector.selectNow(dispatch);
      } else {
        long millis = wait == Long.MAX_VALUE ? 0 : Math.max(1, (wait + 999_999) / 1_000_000);
        selector.select(dispatch, millis);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("selector failed", e);
    }
    wakeupPending.set(false);
    runTimers();
    runTasks();
  }

  private static void dispatch(SelectionKey key) {
    if (key.isValid()) {
      ((Handler) key.attachment()).onReady(key);
    }
  }

  private Timer peekTimer() {
    Timer t = timers.peek();
    while (t != null && t.cancelled) {
      timers.poll();
      t = timers.peek();
    }
    return t;
  }

  private void runTimers() {
    if (timers.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Timer t = peekTimer(); t != null && t.deadlineNanos - now <= 0; t = peekTimer()) {
      timers.poll();
      t.task.run();
    }
  }

  /**
   * Runs the tasks of this step: those other threads posted before it began, and those the loop
   * posts to itself while running them (a freed socket is back in the pool before the loop selects
   * again). Tasks other threads post meanwhile wait for the next step, which does not block: a
   * producer faster than the loop (an open-loop generator past saturation) cannot keep it from
   * selecting, and so from reading, writing and really closing the sockets it has closed — a
   * registered channel's descriptor is released only when a select deregisters its key.
   */
  private void runTasks() {
    Runnable r;
    while ((r = external.poll()) != null) {
      local.add(r);
    }
    while ((r = local.poll()) != null) {
      r.run();
    }
  }

  /** Runs the tasks still queued, each on its own: one that throws does not stop the others. */
  private void runTasksGuarded() {
    Runnable r;
    while ((r = external.poll()) != null) {
      local.add(r);
    }
    while ((r = local.poll()) != null) {
      try {
        r.run();
      } catch (Throwable t) {
        LOG.log(Level.ERROR, "a task failed while the agent's loop stopped", t);
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Stops the loop; with a thread of its own, waits for it to finish its step and closes the
   * selector. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      closeSelector();
      return;
    }
    wakeup();
    if (Thread.currentThread() != t) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void closeSelector() {
    try {
      selector.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close selector", e);
    }
  }
}
