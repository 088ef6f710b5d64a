package dev.keepalive.agent;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the response parser with Jazzer. Under {@code mvn verify} it fuzzes for
 * a bounded 30 s ({@code JAZZER_FUZZ=1} is set for it by the Failsafe configuration); elsewhere it
 * replays the seeds under {@code src/test/resources/.../ResponseParserFuzzITInputs/} (regression
 * mode).
 */
class ResponseParserFuzzIT {

  @FuzzTest(maxDuration = "30s")
  void parserThrowsOnlyItsDeclaredException(FuzzedDataProvider data) {
    ResponseParserFuzzer.fuzzerTestOneInput(data);
  }
}
