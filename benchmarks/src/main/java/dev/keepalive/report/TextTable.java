package dev.keepalive.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table rendered two ways from one model: markdown for {@code summary.md}, aligned plain text for
 * a terminal (numbers right-aligned, text left-aligned, columns two spaces apart).
 *
 * <p>Thread-safety: not thread-safe; build and render on one thread.
 */
public final class TextTable {

  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> numeric = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  /** A left-aligned text column. */
  public TextTable text(String header) {
    headers.add(header);
    numeric.add(false);
    return this;
  }

  /** A right-aligned number column. */
  public TextTable number(String header) {
    headers.add(header);
    numeric.add(true);
    return this;
  }

  /** A row, one cell per column. */
  public TextTable row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row of " + headers.size() + " columns got " + cells.length + " cells");
    }
    rows.add(List.of(cells));
    return this;
  }

  /** GitHub markdown, one line per row. */
  public String markdown() {
    StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", headers)).append(" |\n|");
    for (boolean n : numeric) {
      sb.append(n ? "---:|" : "---|");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return sb.toString();
  }

  /** Aligned text: a header line, a rule, the rows; each line indented by {@code indent}. */
  public String aligned(String indent) {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, indent, headers, width);
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    sb.append(indent).append(rule).append('\n');
    for (List<String> r : rows) {
      line(sb, indent, r, width);
    }
    return sb.toString();
  }

  private void line(StringBuilder sb, String indent, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder(indent);
    for (int c = 0; c < width.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      l.append(c == 0 ? "" : "  ").append(numeric.get(c) ? pad + cell : cell + pad);
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }
}
