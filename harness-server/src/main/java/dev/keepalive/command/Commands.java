package dev.keepalive.command;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Helpers of the standalone commands ({@code server}, {@code relay}).
 *
 * <p>Thread-safety: stateless.
 */
public final class Commands {

  private Commands() {}

  /**
   * A builder's message ({@code rttMillis must be ...}) under the flag whose field is named after
   * the builder property ({@code --rtt-ms must be ...}); unchanged when no field matches.
   */
  public static String underFlag(CommandSpec spec, String message) {
    String property = message.split(" ", 2)[0];
    for (OptionSpec o : spec.options()) {
      if (o.userObject() instanceof Field f && f.getName().equals(property)) {
        return o.longestName() + message.substring(property.length());
      }
    }
    return message;
  }

  /**
   * Prints {@code firstLine} (the URLs a caller reads), then blocks until the JVM is asked to stop
   * (SIGINT, SIGTERM), when a shutdown hook closes {@code service}.
   *
   * @return 0, the exit code of a stop by signal
   */
  public static int serveUntilStopped(
      AutoCloseable service, String threadName, PrintWriter out, String firstLine) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    throw new IllegalStateException(threadName + ": close failed", e);
                  } finally {
                    stopped.countDown();
                  }
                },
                threadName));
    out.println(firstLine);
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
