package dev.keepalive.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line: {@code 90s}, {@code 6m}, {@code 1h30m}; and back to that form.
 *
 * <p>Thread-safety: stateless.
 */
final class Durations implements ITypeConverter<Duration> {

  private static final Pattern FORM = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  @Override
  public Duration convert(String value) {
    Duration d = parse(value);
    if (d == null) {
      throw new TypeConversionException(
          "must be a duration such as 90s, 6m or 1h30m, was '" + value + "'");
    }
    return d;
  }

  /** The duration written as {@code [Nh][Nm][Ns]}, or null when it is not one (or is empty). */
  static Duration parse(String value) {
    Matcher m = FORM.matcher(value.trim());
    if (value.isBlank() || !m.matches()) {
      return null;
    }
    long seconds = 0;
    for (int g = 1; g <= 3; g++) {
      if (m.group(g) != null) {
        try {
          seconds += Long.parseLong(m.group(g)) * (g == 1 ? 3600 : g == 2 ? 60 : 1);
        } catch (NumberFormatException tooLong) {
          return null;
        }
      }
    }
    return Duration.ofSeconds(seconds);
  }

  /** {@code 6 min}, {@code 1 h 30 min}, {@code 45 s}. */
  static String format(Duration d) {
    long s = d.toSeconds();
    StringBuilder sb = new StringBuilder();
    if (s >= 3600) {
      sb.append(s / 3600).append(" h");
    }
    if (s % 3600 >= 60) {
      sb.append(sb.length() > 0 ? " " : "").append(s % 3600 / 60).append(" min");
    }
    if (s % 60 > 0 || s == 0) {
      sb.append(sb.length() > 0 ? " " : "").append(s % 60).append(" s");
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
