package dev.keepalive.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread of the relay: its flows, their timers, and a {@link Ticker} that wakes it at
 * the next timer. Hundreds of connections share one loop; none waits for another, because nothing
 * here blocks: reads and writes are non-blocking and every delay is a timer.
 *
 * <p>Thread-safety: everything but {@link #execute} and {@link #stop} runs on the loop's thread
 * ({@link #inLoop()}).
 */
final class RelayLoop implements Runnable {

  static final System.Logger LOG = System.getLogger("dev.keepalive.net");

  /** The attachment of every registered key. */
  interface Handler {
    /** The key is ready; {@code nowNanos} is when the selector returned. */
    void ready(SelectionKey key, long nowNanos);

    /** {@link #ready} threw: release what the handler holds. */
    void failed(RuntimeException e);
  }

  final RelayOptions options;
  final RelayCounters counters;
  final PathModel path;
  final Selector selector;

  /** Shared by every read of this loop: a read is copied out before the next one. */
  final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

  final Set<Flow> flows = Collections.newSetFromMap(new IdentityHashMap<>());
  private final PriorityQueue<LoopTask> timers = new PriorityQueue<>(LoopTask.ORDER);
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final Ticker ticker;
  private long timerSeq;
  private volatile boolean stopping;

  RelayLoop(RelayOptions options, RelayCounters counters, int index) {
    this.options = options;
    this.counters = counters;
    this.path = new PathModel(options);
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    this.thread = new Thread(this, "relay-loop-" + index);
    thread.setDaemon(true);
    this.ticker = new Ticker(selector, "relay-ticker-" + index);
  }

  void start() {
    ticker.start();
    thread.start();
  }

  private boolean started() {
    return thread.getState() != Thread.State.NEW;
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the loop's thread, soon. Any thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** An accepted client socket on its way to a loop. */
  private record Adoption(
      RelayLoop loop, SocketChannel client, InetSocketAddress target, long acceptNanos)
      implements Runnable {
    @Override
    public void run() {
      Flow.open(loop, client, target, acceptNanos);
    }
  }

  /** Relays an accepted client socket on this loop. Any thread. */
  void adopt(SocketChannel client, InetSocketAddress target, long acceptNanos) {
    Adoption a = new Adoption(this, client, target, acceptNanos);
    if (inLoop()) {
      a.run();
    } else {
      execute(a);
    }
  }

  /** Arms {@code task} for {@code dueNanos} unless it is armed already. */
  void schedule(LoopTask task, long dueNanos) {
    assert inLoop();
    if (task.armed) {
      return;
    }
    task.armed = true;
    task.dueNanos = dueNanos;
    task.seq = timerSeq++;
    timers.add(task);
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        runTasks();
        long now = System.nanoTime();
        runTimers(now);
        LoopTask next = timers.peek();
        ticker.aim(next == null ? Long.MAX_VALUE : next.dueNanos);
        if (!tasks.isEmpty()) {
          selector.selectNow();
        } else if (next == null) {
          selector.select();
        } else {
          // the ticker wakes the selector on time; this timeout is only a backstop
          selector.select((next.dueNanos - now) / 1_000_000 + 2);
        }
        now = System.nanoTime();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (key.isValid()) {
            Handler h = (Handler) key.attachment();
            try {
              h.ready(key, now);
            } catch (RuntimeException e) {
              h.failed(e);
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "relay loop " + thread.getName() + " failed", e);
    } finally {
      shutdown();
    }
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) {
      r.run();
    }
  }

  private void runTimers(long now) {
    LoopTask t;
    while ((t = timers.peek()) != null && t.dueNanos <= now) {
      timers.poll();
      t.armed = false;
      t.fire(now);
    }
  }

  /** Closes every flow and every other registered channel (listeners), then the selector. */
  private void shutdown() {
    for (Flow f : new ArrayList<>(flows)) {
      f.close(false);
    }
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "relay: closing a channel failed: " + e);
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "relay: closing the selector failed: " + e);
    }
    // a socket handed over by the acceptor after the loop's last turn
    Runnable r;
    while ((r = tasks.poll()) != null) {
      if (r instanceof Adoption a) {
        Flow.closeQuietly(a.client(), false);
      }
    }
  }

  /** Asks the loop to stop and waits for it; every socket it held is closed. */
  void stop() throws InterruptedException {
    stopping = true;
    if (!started()) {
      shutdown(); // the relay failed to start: release what was registered
      return;
    }
    selector.wakeup();
    thread.join(10_000);
    ticker.stop();
  }
}
