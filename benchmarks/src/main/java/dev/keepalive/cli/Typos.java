package dev.keepalive.cli;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Tells a mistyped name from a deliberate one, for the did-you-mean of commands and flags.
 *
 * <p>The rule for the first word of {@code benchmarks.jar}'s command line, which is either one of
 * our commands or JMH's (a benchmark regex, an option): a bare word (not starting with {@code -})
 * within {@value #MAX_DISTANCE} edits of a command name is a mistyped command, unless it matches a
 * benchmark in the jar, in which case it is JMH's regex. So {@code sute}, {@code prob} and {@code
 * compar} get "did you mean", while {@code StrategyBenchmark}, {@code request} or {@code Fault}
 * (which match benchmarks) and words far from every command (which JMH then reports as matching
 * nothing) go to JMH.
 */
final class Typos {

  /** Edits (insertions, deletions, substitutions) a typo may be away from the name meant. */
  static final int MAX_DISTANCE = 2;

  private Typos() {}

  /** The command {@code word} was meant to be, if it is a mistyped one (see the class comment). */
  static Optional<String> mistypedCommand(
      String word, Collection<String> commands, Predicate<String> matchesABenchmark) {
    if (word.startsWith("-") || commands.contains(word)) {
      return Optional.empty();
    }
    Optional<String> nearest = nearest(word, commands);
    return nearest.isPresent() && !matchesABenchmark.test(word) ? nearest : Optional.empty();
  }

  /** The name nearest to {@code word}, if one is within {@link #MAX_DISTANCE} edits. */
  static Optional<String> nearest(String word, Collection<String> names) {
    String best = null;
    int bestDistance = MAX_DISTANCE + 1;
    for (String name : names) {
      int d = distance(word, name);
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance: the fewest single-character edits that turn {@code a} into {@code b}. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
