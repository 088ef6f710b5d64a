package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The race table tells its scenarios apart: loopback, a distance, a middlebox. */
class FaultTableTest {

  @Test
  void eachScenarioHasItsOwnTableAndTheMiddleboxItsResets() {
    String md =
        FaultTable.markdown(
            List.of(
                new FaultTable.Row("keep-alive", 230, 200, 0, 0, 800, 1, 0, 0, 0, 130, 0),
                new FaultTable.Row("keep-alive", 230, 200, 10, 0, 800, 40, 2, 0, 0, 170, 0),
                new FaultTable.Row("keep-alive", 400, 5000, 10, 300, 800, 0, 800, 0, 0, 1000, 800),
                new FaultTable.Row("retry", 400, 5000, 10, 300, 800, 0, 0, 0, 800, 1000, 800)));
    // the heading once said "real close measured at 224–251 ms" whatever the run measured
    assertTrue(md.contains("### pause 230 ms between bursts (server idle timeout 200 ms)\n"), md);
    assertTrue(
        md.contains("### pause 230 ms between bursts, RTT 10 ms (server idle timeout 200 ms)\n"),
        md);
    assertTrue(!md.contains("224") && !md.contains("251"), md);
    assertTrue(
        md.contains(
            "### pause 400 ms between bursts, RTT 10 ms, a middlebox silently forgets flows idle"
                + " 300 ms (server idle timeout 5000 ms)\n"),
        md);
    assertTrue(md.contains("| keep-alive | 800 | 50.0 | 2.5 | 0.0 | 0.0 | 212.5 |\n"), md);
    assertTrue(
        md.contains("| keep-alive | 800 | 0.0 | 1000.0 | 0.0 | 0.0 | 1250.0 | 1000.0 |\n"), md);
  }
}
