package dev.keepalive.bench;

import dev.keepalive.agent.ErrorClass;
import java.util.EnumMap;
import java.util.Map;

/** Running totals of a {@link Load}; benchmark thread only. */
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

  Map<ErrorClass, Long> errorsByClass() {
    return errorsByClass;
  }
}
