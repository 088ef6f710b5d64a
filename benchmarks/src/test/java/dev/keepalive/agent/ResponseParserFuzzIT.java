package dev.keepalive.agent;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the response parser with Jazzer. Under {@code mvn verify} it fuzzes
 * for a bounded 30 s ({@code JAZZER_FUZZ=1} is set for it by the Failsafe configuration); elsewhere
 * it replays the seeds under {@code src/test/resources/.../ResponseParserFuzzITInputs/} (regression
 * mode).
 */
class ResponseParserFuzzIT {

  @FuzzTest(maxDuration = "30s")
  // one line each: the dictionary file format has no escape for line breaks (the seeds carry CRLF)
  @DictionaryEntries({
    "HTTP/1.1 200 OK",
    "HTTP/1.0 ",
    "HTTP/1.1 100 Continue",
    "Content-Length: ",
    "Transfer-Encoding: chunked",
    "Connection: close",
    "Connection: keep-alive",
    "Keep-Alive: timeout=",
    ";ext=1",
    " 204 ",
    " 304 ",
    " 101 ",
    "fffffffffffffff"
  })
  void parserThrowsOnlyItsDeclaredException(byte[] data) {
    ResponseParserFuzzer.fuzzerTestOneInput(data);
  }
}
