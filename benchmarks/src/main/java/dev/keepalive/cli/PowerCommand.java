package dev.keepalive.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.report.Compare;
import dev.keepalive.report.CompareTable;
import dev.keepalive.report.DetectionPower;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code power BASE,... NEW,... [--rounds LIST] [--drops LIST] [--draws N] [--threshold PCT]
 * [--seed N] [--format md|json]}: from paired rounds of identical code (an A/A run on this
 * machine), how often a regression run of N rounds would call a drop of D % regressed, and how
 * often it raises a false alarm ({@link DetectionPower}).
 */
@Command(
    name = "power",
    description = {
      "What a regression run of N paired rounds can detect on this machine, estimated from rounds"
          + " of identical code measured here (an A/A run: e.g. scripts/regression.sh --against"
          + " HEAD --rounds 20, whose run folders hold each round's jmh.json).",
      "Each draw takes N of those rounds at random (with replacement), plants a drop of D %% in"
          + " every row of NEW, and judges it as compare --paired does. It prints how many runs in"
          + " 10 would be called regressed (a regression run's exit 1) per N and D (D = 0: false"
          + " alarms), and per row the median smallest change it could detect. The A/A rounds' own"
          + " mean ratio per row is noise and is divided out first. The noise is the machine's own;"
          + " only the drop is exact. A row calls a drop no larger than --threshold at most about"
          + " half the time: the ratio must be beyond the threshold.",
      ""
    },
    exitCodeList = {
      "0:the estimate is printed",
      "2:bad usage, or rounds that cannot be read or compared (one line)"
    })
final class PowerCommand implements Callable<Integer> {

  static final int MIN_DRAWS = 100;
  static final int MAX_DRAWS = 100_000;
  static final List<Integer> DEFAULT_ROUNDS = List.of(3, 4, 5, 6, 8, 10, 12, 15, 20);

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "1",
      paramLabel = "BASE",
      split = ",",
      description = "the A/A run's BASE side: one JMH JSON per round, comma-separated")
  private List<Path> base;

  @Parameters(
      index = "1",
      arity = "1",
      paramLabel = "NEW",
      split = ",",
      description = "its NEW side (the same code), in the same order")
  private List<Path> now;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      split = ",",
      description =
          "round counts to estimate, each 3 .. the rounds given (default: 3, 4, 5, 6, 8, 10, 12,"
              + " 15, 20, those that fit)")
  private List<Integer> rounds;

  @Option(
      names = "--drops",
      paramLabel = "PCT",
      split = ",",
      description = "throughput drops to plant, percent, each in (0, 90] (default 10,25)")
  private List<Double> drops = List.of(10.0, 25.0);

  @Option(
      names = "--draws",
      paramLabel = "N",
      description =
          "draws per cell (" + MIN_DRAWS + ".." + MAX_DRAWS + ", default ${DEFAULT-VALUE})")
  private int draws = 2000;

  @Option(
      names = "--threshold",
      paramLabel = "PCT",
      converter = CompareCommand.Percentage.class,
      description = "compare's threshold, percent (default ${DEFAULT-VALUE})")
  private double threshold = 10;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "the draws' seed (default ${DEFAULT-VALUE}): the same seed, the same figures")
  private long seed = 1;

  @Option(
      names = "--format",
      paramLabel = "md|json",
      description = "md (tables) or json (default ${DEFAULT-VALUE})")
  private CompareCommand.Format format = CompareCommand.Format.md;

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() {
    CommandLine cli = spec.commandLine();
    if (base.size() != now.size() || base.size() < 3) {
      throw new ParameterException(
          cli,
          "BASE and NEW need as many files each, one per A/A round, 3 or more; were "
              + base.size()
              + " and "
              + now.size());
    }
    if (draws < MIN_DRAWS || draws > MAX_DRAWS) {
      throw new ParameterException(
          cli, "--draws must be " + MIN_DRAWS + ".." + MAX_DRAWS + ", was " + draws);
    }
    int m = base.size();
    List<Integer> counts;
    if (rounds == null) {
      counts = DEFAULT_ROUNDS.stream().filter(n -> n <= m).toList();
    } else {
      for (int n : rounds) {
        if (n < 3 || n > m) {
          throw new ParameterException(
              cli, "--rounds: each must be 3.." + m + " (the A/A rounds given), was " + n);
        }
      }
      counts = List.copyOf(new LinkedHashSet<>(rounds));
    }
    List<Double> ds = new ArrayList<>();
    ds.add(0.0);
    for (double d : drops) {
      if (!(d > 0 && d <= 90)) {
        throw new ParameterException(cli, "--drops: each must be in (0, 90] percent, was " + d);
      }
      if (!ds.contains(d)) {
        ds.add(d);
      }
    }
    List<Map<String, Compare.Entry>> b = CompareCommand.loadRuns(cli, "BASE", base);
    List<Map<String, Compare.Entry>> n = CompareCommand.loadRuns(cli, "NEW", now);
    CompareCommand.sideEnvironment(cli, "BASE", base);
    CompareCommand.sideEnvironment(cli, "NEW", now);
    List<DetectionPower.Cell> cells;
    try {
      cells = DetectionPower.estimate(b, n, counts, ds, draws, threshold, seed);
      if (cells.isEmpty() || cells.get(0).rowsRegressed().isEmpty()) {
        throw new IllegalArgumentException("BASE and NEW have no row in common");
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, e.getMessage(), e);
    }
    Map<String, Double> offsets = new LinkedHashMap<>();
    DetectionPower.aaRatios(b, n).forEach((key, ratio) -> offsets.put(nameOf(b, key), ratio));
    cli.getOut()
        .print(
            format == CompareCommand.Format.json
                ? json(cells, m, offsets)
                : markdown(cells, m, ds, offsets));
    return 0;
  }

  /** The row's short name, from the first run that has it. */
  private static String nameOf(List<Map<String, Compare.Entry>> runs, String key) {
    for (Map<String, Compare.Entry> run : runs) {
      Compare.Entry e = run.get(key);
      if (e != null) {
        return e.name();
      }
    }
    return key;
  }

  private String markdown(
      List<DetectionPower.Cell> cells, int m, List<Double> ds, Map<String, Double> offsets) {
    StringBuilder sb = new StringBuilder();
    List<String> rows = List.copyOf(cells.get(0).rowsRegressed().keySet());
    sb.append(
        String.format(
            Locale.ROOT,
            "From %d paired A/A rounds (the same code on both sides), %d rows: %,d draws of N rounds"
                + " per cell (seed %d),%neach judged as compare --paired judges (threshold %s %%),"
                + " with a drop of D %% planted in every row of NEW.%n%n",
            m,
            rows.size(),
            draws,
            seed,
            CompareTable.number(threshold)));
    List<String> own = new ArrayList<>();
    offsets.forEach((row, r) -> own.add(String.format(Locale.ROOT, "%s %.3f", row, r)));
    sb.append(
        "The A/A rounds' own mean ratio NEW / BASE per row, noise (the same code on both sides),"
            + " divided out of NEW before the draws:\n"
            + String.join(", ", own)
            + ".\n\n");
    sb.append("Runs called regressed (exit 1), per 10 runs:\n\n| rounds |");
    for (double d : ds) {
      sb.append(d == 0 ? " no change (false alarms) |" : " drop " + pct(d) + " |");
    }
    sb.append("\n|---:|");
    ds.forEach(d -> sb.append("---:|"));
    sb.append('\n');
    int c = 0;
    List<Integer> counts = new ArrayList<>();
    while (c < cells.size()) {
      int n = cells.get(c).rounds();
      counts.add(n);
      sb.append("| ").append(n).append(" |");
      for (int k = 0; k < ds.size(); k++, c++) {
        sb.append(String.format(Locale.ROOT, " %.1f |", cells.get(c).regressedPer10()));
      }
      sb.append('\n');
    }
    sb.append(
        "\nPer row: called regressed per 10 runs with each drop, and (±) the median smallest change"
            + " the row could detect:\n\n| rounds |");
    rows.forEach(r -> sb.append(' ').append(r).append(" |"));
    sb.append("\n|---:|");
    rows.forEach(r -> sb.append("---|"));
    sb.append('\n');
    for (int i = 0; i < counts.size(); i++) {
      sb.append("| ").append(counts.get(i)).append(" |");
      for (String r : rows) {
        List<String> per = new ArrayList<>();
        for (int k = 1; k < ds.size(); k++) {
          DetectionPower.Cell cell = cells.get(i * ds.size() + k);
          per.add(String.format(Locale.ROOT, "%.1f", 10.0 * cell.rowsRegressed().get(r) / draws));
        }
        double det = cells.get(i * ds.size()).medianDetectable().get(r);
        sb.append(' ')
            .append(String.join(" / ", per))
            .append(Double.isNaN(det) ? "" : String.format(Locale.ROOT, " (±%.0f %%)", det * 100))
            .append(" |");
      }
      sb.append('\n');
    }
    if (counts.stream().anyMatch(n -> 2 * n > m)) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nWith N above half the %d rounds given, the draws repeat most of their rounds and"
                  + " the estimate leans on those few: measure more A/A rounds to trust it.%n",
              m));
    }
    if (ds.stream().anyMatch(d -> d > 0 && d <= threshold)) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nA row calls a drop no larger than the threshold (%s %%) at most about half the"
                  + " time: the verdict needs the ratio beyond it.%n",
              CompareTable.number(threshold)));
    }
    return sb.toString();
  }

  private String json(List<DetectionPower.Cell> cells, int m, Map<String, Double> offsets) {
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    root.put("aaRounds", m);
    ObjectNode own = root.putObject("aaRatios");
    offsets.forEach(own::put);
    root.put("draws", draws);
    root.put("seed", seed);
    root.put("thresholdPercent", threshold);
    ArrayNode out = root.putArray("cells");
    for (DetectionPower.Cell c : cells) {
      ObjectNode o = out.addObject();
      o.put("rounds", c.rounds());
      o.put("dropPercent", c.dropPercent());
      o.put("runsCalledRegressedPer10", c.regressedPer10());
      o.put("runsWithAnImprovedRowPer10", 10.0 * c.runsWithAnImprovedRow() / c.draws());
      ObjectNode rows = o.putObject("rows");
      c.rowsRegressed()
          .forEach(
              (row, k) -> {
                ObjectNode r = rows.putObject(row);
                r.put("calledRegressedPer10", 10.0 * k / c.draws());
                r.put("medianDetectablePercent", c.medianDetectable().get(row) * 100);
              });
    }
    try {
      return om.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pct(double d) {
    return CompareTable.number(d) + " %";
  }
}
