package dev.keepalive.cli;

import dev.keepalive.report.Compare;
import dev.keepalive.report.Report;
import dev.keepalive.server.Flags;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code report DIR|JSON} and {@code compare BASE NEW [--threshold PCT] [--format md|json]}. */
final class ReportCommands {
  private ReportCommands() {}

  static int report(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 3 && args[0].equals("--publish")) {
      try {
        err.println("report: wrote " + Report.publish(Path.of(args[1]), Path.of(args[2])));
        return 0;
      } catch (IOException e) {
        err.println("report: " + e.getMessage());
        return 2;
      }
    }
    if (args.length != 1 || args[0].startsWith("-")) {
      err.println(
          "report: usage: report DIR|JSON   (a run folder holding jmh.json, or the file itself)");
      err.println(
          "       report --publish RUN_DIR README   (regenerate the published results page)");
      return 2;
    }
    try {
      Report.Written w = Report.write(Path.of(args[0]));
      out.print(w.markdown());
      err.println(
          "report: wrote "
              + w.summary()
              + (w.charts().isEmpty() ? "" : " and " + w.charts().size() + " charts"));
      return 0;
    } catch (IOException e) {
      err.println("report: " + e.getMessage());
      return 2;
    }
  }

  static int compare(String[] args, PrintStream out, PrintStream err) {
    double threshold = 10;
    String format = "md";
    List<String> files = new ArrayList<>();
    try {
      Flags f = new Flags(args);
      while (f.hasNext()) {
        String a = f.next();
        switch (a) {
          case "--threshold" -> {
            String v = f.value();
            try {
              threshold = Double.parseDouble(v);
            } catch (NumberFormatException e) {
              throw new Flags.UsageException(
                  "--threshold must be a percentage in [0, 1000], was '" + v + "'");
            }
            if (!(threshold >= 0 && threshold <= 1000)) {
              throw new Flags.UsageException(
                  "--threshold must be a percentage in [0, 1000], was " + v);
            }
          }
          case "--format" -> {
            format = f.value();
            if (!format.equals("md") && !format.equals("json")) {
              throw new Flags.UsageException("--format must be md or json, was '" + format + "'");
            }
          }
          default -> {
            if (a.startsWith("-")) {
              throw new Flags.UsageException("unknown flag '" + a + "'");
            }
            files.add(a);
          }
        }
      }
      if (files.size() != 2) {
        throw new Flags.UsageException(
            "needs BASE and NEW JMH JSON files, got " + files.size() + " file(s)");
      }
    } catch (Flags.UsageException e) {
      err.println("compare: " + e.getMessage());
      err.println("usage: compare BASE NEW [--threshold PCT] [--format md|json]");
      return 2;
    }
    try {
      Map<String, Compare.Entry> base = Compare.load(Path.of(files.get(0)));
      Map<String, Compare.Entry> now = Compare.load(Path.of(files.get(1)));
      Compare.Comparison c = Compare.compare(base, now, threshold);
      if (format.equals("json")) {
        out.println(Compare.json(c));
        Path dir = Path.of(files.get(1)).toAbsolutePath().getParent();
        for (Path p : Compare.writeCustomFormat(now, dir)) {
          err.println("compare: wrote " + p);
        }
      } else {
        out.print(Compare.markdown(c));
      }
      return c.regressions() > 0 ? 1 : 0;
    } catch (IOException e) {
      err.println("compare: " + e.getMessage());
      return 2;
    }
  }
}
