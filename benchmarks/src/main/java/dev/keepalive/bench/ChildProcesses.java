package dev.keepalive.bench;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Child processes die with the JVM that started them. {@link #dieWithThisJvm()} installs, once, a
 * shutdown hook that stops every descendant of this process (its children and theirs, {@link
 * ProcessHandle#descendants()}) when the JVM exits, normally or on SIGTERM/SIGINT: {@code
 * benchmarks.jar} takes down JMH's forks, and a fork takes down the harness server it started. A
 * JVM killed outright runs no hook, so a child also watches its parent ({@link #exitWithParent}):
 * the harness server's JVM exits when the JVM that started it is gone.
 *
 * <p>Thread-safety: safe from any thread; the hook runs on the JVM's shutdown thread.
 */
public final class ChildProcesses {

  /** How long descendants get to stop after SIGTERM before they are killed. */
  static final long GRACE_MILLIS = 5_000;

  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private ChildProcesses() {}

  /** Installs the shutdown hook that stops every descendant of this process (idempotent). */
  public static void dieWithThisJvm() {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ChildProcesses::stopDescendants, "stop-child-processes"));
    }
  }

  /**
   * SIGTERM to every descendant, deepest first (a server before the fork that started it), then
   * SIGKILL to those still alive after {@link #GRACE_MILLIS}.
   */
  static void stopDescendants() {
    List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
    for (ProcessHandle p : all) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          p.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      } catch (TimeoutException e) {
        // still alive at the deadline: killed below
      } catch (ExecutionException e) {
        throw new IllegalStateException("waiting for process " + p.pid() + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * Exits this JVM (running its shutdown hooks) as soon as process {@code parentPid} is gone, at
   * once if it is gone already; for the main of a child JVM. The JDK watches a process that is not
   * a child of this one by polling, on a daemon thread.
   */
  public static void exitWithParent(long parentPid) {
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent -> parent.onExit().thenRun(() -> exitOrphaned(parentPid)),
            () -> exitOrphaned(parentPid));
  }

  private static void exitOrphaned(long parentPid) {
    System.err.println("the process that started this one (" + parentPid + ") is gone; exiting");
    System.exit(1);
  }
}
