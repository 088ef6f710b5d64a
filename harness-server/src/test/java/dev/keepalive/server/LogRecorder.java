package dev.keepalive.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what reaches java.util.logging at WARNING or above while open: what Undertow, XNIO and
 * the server would print on stderr (they log through it). Opened before a test, closed after.
 */
final class LogRecorder extends Handler implements AutoCloseable {
  // held strongly: JUL forgets a logger's handlers when the logger is collected
  private final Logger root = Logger.getLogger("");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogRecorder() {
    setLevel(Level.WARNING);
    root.addHandler(this);
  }

  /** Each record as "LEVEL logger: message", with its exception if any. */
  List<String> lines() {
    return records.stream()
        .map(
            r ->
                r.getLevel()
                    + " "
                    + r.getLoggerName()
                    + ": "
                    + r.getMessage()
                    + (r.getThrown() == null ? "" : " " + r.getThrown()))
        .toList();
  }

  @Override
  public void publish(LogRecord record) {
    if (isLoggable(record)) {
      records.add(record);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
