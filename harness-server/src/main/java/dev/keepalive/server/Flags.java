package dev.keepalive.server;

import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over command-line arguments of the form {@code --name value} or {@code --name=value}.
 * Every failure is a {@link UsageException} whose message names the flag, the value and the allowed
 * range; a command line turns it into one line on stderr and exit code 2.
 */
public final class Flags {
  private final String[] args;
  private int next;
  private String pendingValue;
  private String current;

  public Flags(String[] args) {
    this.args = args.clone();
  }

  /** Advances to the next argument; false when none is left. */
  public boolean hasNext() {
    return next < args.length;
  }

  /** The next argument: a flag name (without any {@code =value} part) or a positional argument. */
  public String next() {
    String arg = args[next++];
    pendingValue = null;
    if (arg.startsWith("--") && arg.indexOf('=') > 2) {
      int eq = arg.indexOf('=');
      pendingValue = arg.substring(eq + 1);
      arg = arg.substring(0, eq);
    }
    current = arg;
    return arg;
  }

  /** The value of the current flag. */
  public String value() {
    if (pendingValue != null) {
      String v = pendingValue;
      pendingValue = null;
      return v;
    }
    if (next >= args.length) {
      throw new UsageException(current + " needs a value");
    }
    return args[next++];
  }

  /** The value of the current flag as a long in [min, max]. */
  public long longValue(long min, long max) {
    String v = value();
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(
          current + " must be a whole number in [" + min + ", " + max + "], was '" + v + "'");
    }
    if (n < min || n > max) {
      throw new UsageException(current + " must be in [" + min + ", " + max + "], was " + n);
    }
    return n;
  }

  public int intValue(int min, int max) {
    return (int) longValue(min, max);
  }

  /** Comma-separated list of longs, each in [min, max]. */
  public List<Long> longList(long min, long max) {
    String v = value();
    List<Long> out = new ArrayList<>();
    for (String part : v.split(",", -1)) {
      try {
        long n = Long.parseLong(part.trim());
        if (n < min || n > max) {
          throw new UsageException(
              current
                  + " values must be in ["
                  + min
                  + ", "
                  + max
                  + "], was "
                  + n
                  + " in '"
                  + v
                  + "'");
        }
        out.add(n);
      } catch (NumberFormatException e) {
        throw new UsageException(
            current
                + " must be a comma-separated list of whole numbers in ["
                + min
                + ", "
                + max
                + "], was '"
                + v
                + "'");
      }
    }
    return out;
  }

  /** Rejects a flag that takes no value but was given one with {@code =}. */
  public void noValue() {
    if (pendingValue != null) {
      throw new UsageException(current + " takes no value, was given '" + pendingValue + "'");
    }
  }

  /** The exception for a bad flag; message is one line naming it. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }
}
