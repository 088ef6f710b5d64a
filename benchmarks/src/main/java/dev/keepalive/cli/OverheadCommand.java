package dev.keepalive.cli;

import dev.keepalive.bench.OverheadBenchmark;
import dev.keepalive.report.OverheadTable;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code overhead [--out DIR] [JMH options]}: every client against the raw-socket floor. */
@Command(
    name = "overhead",
    description = {
      "Every client against the raw-socket floor (OverheadBenchmark): throughput, and its ratio to"
          + " raw-socket, with one and with many requests in flight.",
      "JMH options pass through and win over the benchmark's own settings.",
      ""
    })
final class OverheadCommand extends FocusedRun {

  @Override
  String benchmark() {
    return OverheadBenchmark.class.getName() + ".request";
  }

  @Override
  String purpose() {
    return "every client against the raw-socket floor, harness server in its own JVM";
  }

  @Override
  String table(Path jmhJson) throws IOException {
    return OverheadTable.markdown(OverheadTable.read(jmhJson));
  }
}
