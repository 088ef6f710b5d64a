package dev.keepalive.cli;

import dev.keepalive.bench.FaultBenchmark;
import dev.keepalive.report.FaultTable;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code faults [--out DIR] [JMH options]}: the stale keep-alive race and its remedies. */
@Command(
    defaultValueProvider = OutputFolder.Default.class,
    name = "faults",
    description = {
      "The stale keep-alive race (FaultBenchmark): bursts separated by pauses around the server's"
          + " real idle close; per 1,000 requests, the errors by class, the retries and the"
          + " connections of each remedy.",
      "JMH options pass through and win over the benchmark's own settings.",
      ""
    })
final class FaultsCommand extends FocusedRun {

  @Override
  String benchmark() {
    return FaultBenchmark.class.getName() + ".burst";
  }

  @Override
  String purpose() {
    return "the stale keep-alive race, bursts around the server's real idle close";
  }

  @Override
  String table(Path jmhJson) throws IOException {
    return FaultTable.markdown(FaultTable.read(jmhJson));
  }
}
