package dev.keepalive.bench;

import dev.keepalive.agent.ErrorClass;
import java.util.EnumMap;
import java.util.Map;

/**
 * Running totals of a load, and the trial's completeness check.
 *
 * <p>Thread-safety: benchmark thread (see the package).
 */
final class LoadCounts {
  long issued;
  long ok;
  long errors;
  long reused;
  final EnumMap<ErrorClass, Long> errorsByClass = new EnumMap<>(ErrorClass.class);

  void error(ErrorClass c) {
    errors++;
    errorsByClass.merge(c, 1L, Long::sum);
  }

  long inFlight() {
    return issued - ok - errors;
  }

  /**
   * The trial check every benchmark makes once its load has drained: each issued request ended
   * either ok or as a classified error.
   *
   * @param row the table row, first word of the message
   * @throws IllegalStateException {@code "<row>: lost requests: ok N + errors M != issued K"}
   */
  void requireComplete(String row) {
    if (ok + errors != issued) {
      throw new IllegalStateException(
          row + ": lost requests: ok " + ok + " + errors " + errors + " != issued " + issued);
    }
  }

  Map<ErrorClass, Long> errorsByClass() {
    return errorsByClass;
  }
}
