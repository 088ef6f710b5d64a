package dev.keepalive.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JMH's machine-wide lock ({@code <java.io.tmpdir>/jmh.lock}, as JMH's {@code Runner} names it):
 * one JMH run at a time. Asked before a run creates its folder, so that a run that could not start
 * writes nothing; JMH takes the lock itself when it starts (a run that loses the race in between
 * fails in JMH, and its folder is marked failed).
 */
final class JmhLock {

  private JmhLock() {}

  /** The lock file, where JMH looks for it. */
  static Path file() {
    return Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
  }

  /**
   * @throws CommandFailedException when another run holds the lock (unless {@code
   *     -Djmh.ignoreLock=true}, JMH's own override)
   */
  static void requireFree() throws CommandFailedException, IOException {
    if (Boolean.getBoolean("jmh.ignoreLock")) {
      return;
    }
    Path file = file();
    boolean free;
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      try (FileLock lock = channel.tryLock()) {
        free = lock != null;
      } catch (OverlappingFileLockException heldInThisJvm) {
        free = false;
      }
    }
    if (!free) {
      throw new CommandFailedException(
          "JMH's lock "
              + file
              + " is held: another JMH run is going on this machine (one at a time); nothing was"
              + " started or written");
    }
  }

  /**
   * Takes the lock for a run that does not go through JMH's Runner (the {@code knee} sweep), so
   * that no JMH run starts meanwhile; release it by closing what this returns.
   *
   * @throws CommandFailedException when another run holds it
   */
  static AutoCloseable hold() throws CommandFailedException, IOException {
    FileChannel channel =
        FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new CommandFailedException(
          "JMH's lock " + file() + " is held: another JMH run is going on this machine");
    }
    return channel::close; // closing the channel releases its lock
  }
}
