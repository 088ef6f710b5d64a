package dev.keepalive.server;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences Undertow's and XNIO's INFO lines (version banners on start and stop). They log through
 * jboss-logging, which falls back to java.util.logging when no other backend is present.
 *
 * <p>Thread-safety: controlled, called by {@link HarnessServer#start(ServerOptions)}; idempotent.
 */
final class QuietLogging {
  // JUL holds loggers weakly: keep them referenced or the level is forgotten.
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger("org.xnio"),
          Logger.getLogger("io.undertow"),
          Logger.getLogger("org.jboss"));

  private QuietLogging() {}

  static void apply() {
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "jdk");
    }
    for (Logger logger : QUIETED) {
      logger.setLevel(Level.WARNING);
    }
  }
}
