package dev.keepalive.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.bench.TrialFiles;
import dev.keepalive.report.Compare.Entry;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A run's figures in the format common CI benchmark actions read: arrays of {@code {name, unit,
 * value[, range]}}, one for the bigger-is-better tool ({@code customBiggerIsBetter}: throughput)
 * and one for the smaller-is-better tool ({@code customSmallerIsBetter}: the time modes, and per
 * strategy row its p50 and p99 latency from the run's histograms and the connections it opened per
 * 1,000 requests). Names are the rows' short names, e.g. {@code keep-alive c16 13B} and {@code
 * keep-alive c16 13B p99}.
 */
public final class CompareExport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CompareExport() {}

  /** Throughput entries. */
  public static ArrayNode biggerIsBetter(Collection<Entry> now) {
    ArrayNode out = JSON.createArrayNode();
    for (Entry e : now) {
      if (e.higherIsBetter()) {
        add(out, e.name(), e.unit(), e.score(), e.scoreError());
      }
    }
    return out;
  }

  /**
   * The time-mode entries, then for each throughput entry that has a strategy row its p50, p99 (µs)
   * and connections per 1,000 requests, when the run measured them.
   *
   * @param rows the run's strategy rows ({@link SummaryTable#read}), for latency and connections
   */
  public static ArrayNode smallerIsBetter(Collection<Entry> now, List<SummaryTable.Row> rows) {
    ArrayNode out = JSON.createArrayNode();
    Map<TrialFiles, SummaryTable.Row> byTrial = new HashMap<>();
    rows.forEach(r -> byTrial.put(r.files(), r));
    Set<String> benchmarks = new HashSet<>();
    rows.forEach(r -> benchmarks.add(r.files().benchmark()));
    for (Entry e : now) {
      if (!e.higherIsBetter()) {
        add(out, e.name(), e.unit(), e.score(), e.scoreError());
      }
    }
    for (Entry e : now) {
      // only the rows' benchmark: its parameters are the ones TrialFiles reads as numbers
      boolean rowsBenchmark =
          benchmarks.stream().anyMatch(b -> e.benchmark().contains("." + b + "."));
      if (!e.higherIsBetter() || !rowsBenchmark) {
        continue;
      }
      SummaryTable.Row r =
          byTrial.get(TrialFiles.of(e.benchmark(), TrialFiles.THROUGHPUT, e.params()::get));
      if (r == null) {
        continue;
      }
      add(out, e.name() + " p50", "us", r.p50Micros(), Double.NaN);
      add(out, e.name() + " p99", "us", r.p99Micros(), Double.NaN);
      add(
          out,
          e.name() + " connections/1k",
          "connections per 1,000 requests",
          r.connectionsPer1000(),
          Double.NaN);
    }
    return out;
  }

  private static void add(ArrayNode out, String name, String unit, double value, double error) {
    if (Double.isNaN(value)) {
      return;
    }
    ObjectNode n = out.addObject().put("name", name).put("unit", unit).put("value", value);
    if (!Double.isNaN(error)) {
      n.put("range", String.format(Locale.ROOT, "± %.3f", error));
    }
  }

  /**
   * @throws IllegalArgumentException when {@code entries} is empty, naming the file and what it
   *     would have held
   */
  public static void requireNonEmpty(ArrayNode entries, Path file, String what) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(
          "NEW has no " + what + " figures: " + file + " would be empty; not written");
    }
  }

  /**
   * Writes {@code entries} to {@code file}.
   *
   * @param what what the file holds, for the message when there is nothing to write
   * @param replace whether an existing file may be replaced
   * @throws IllegalArgumentException when {@code entries} is empty: an empty export is never
   *     written
   */
  public static void write(ArrayNode entries, Path file, String what, boolean replace)
      throws IOException {
    requireNonEmpty(entries, file, what);
    if (!replace && Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "exists already; not replaced");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(
        file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entries) + "\n");
  }
}
