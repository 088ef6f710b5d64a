package dev.keepalive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The rounds of a probe (README.md, "probe"): from {@code --rounds} and the URLs, or from a {@code
 * --plan} file. The limits here are the probe's own, so the probe checks them; a bad plan is an
 * {@link IllegalArgumentException} whose message names the flag.
 */
final class ProbePlan {

  static final int MAX_ROUNDS = 10_000;

  /**
   * The most requests one probe sends, over all its rounds: its output holds an entry for each
   * (about 450 bytes of JSON), and while a round is going the agent holds each of its requests. At
   * this bound a probe runs in a 64 MiB heap (tested with 96 MiB by {@code ProbeLimitsIT}).
   */
  static final int MAX_REQUESTS = 100_000;

  static final long MAX_PAUSE_MILLIS = 600_000;

  /** The largest plan file read: room for {@link #MAX_REQUESTS} long URLs. */
  static final long MAX_PLAN_BYTES = 64L << 20;

  /** One round: the URLs its requests go to, in issue order, and the pause after it. */
  record Round(List<String> urls, long pauseMillis) {}

  /** {@code --rounds K1,K2,..}: round r starts Kr requests at once. */
  record RoundSizes(List<Integer> sizes) {}

  private ProbePlan() {}

  /** Round r sends Kr requests, request i to URL i mod n, each followed by {@code pauseMillis}. */
  static List<Round> of(RoundSizes sizes, List<String> urls, long pauseMillis) {
    checkPause("--pause-ms", pauseMillis);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("give at least one URL, or --plan FILE");
    }
    List<Round> rounds = new ArrayList<>();
    for (int k : sizes.sizes()) { // RoundSizesConverter checked the total
      List<String> roundUrls = new ArrayList<>(k);
      for (int i = 0; i < k; i++) {
        roundUrls.add(urls.get(i % urls.size()));
      }
      rounds.add(new Round(List.copyOf(roundUrls), pauseMillis));
    }
    return rounds;
  }

  /**
   * {@code {"rounds": [{"urls": [...], "pauseMs": 20}, ...]}}; a round without {@code pauseMs}
   * takes {@code defaultPauseMillis}.
   */
  static List<Round> read(Path file, long defaultPauseMillis) {
    checkPause("--pause-ms", defaultPauseMillis);
    String where = "--plan " + file + ": ";
    JsonNode root;
    try {
      if (Files.size(file) > MAX_PLAN_BYTES) {
        throw new IllegalArgumentException(
            where
                + "at most "
                + (MAX_PLAN_BYTES >> 20)
                + " MiB, was "
                + Files.size(file)
                + " bytes");
      }
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          where + "cannot read a JSON plan: " + firstLine(e.getMessage()), e);
    }
    JsonNode rounds = root == null ? null : root.get("rounds");
    if (rounds == null || !rounds.isArray() || rounds.isEmpty()) {
      throw new IllegalArgumentException(where + "needs a non-empty \"rounds\" array");
    }
    if (rounds.size() > MAX_ROUNDS) {
      throw new IllegalArgumentException(
          where + "at most " + MAX_ROUNDS + " rounds, was " + rounds.size());
    }
    long total = 0;
    for (JsonNode r : rounds) {
      total += r.path("urls").size();
    }
    if (total > MAX_REQUESTS) {
      throw new IllegalArgumentException(where + tooMany(total));
    }
    List<Round> out = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i++) {
      String at = where + "rounds[" + i + "].";
      JsonNode urls = rounds.get(i).get("urls");
      if (urls == null || !urls.isArray() || urls.isEmpty() || urls.size() > MAX_REQUESTS) {
        throw new IllegalArgumentException(at + "urls must be 1.." + MAX_REQUESTS + " URL strings");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode u : urls) {
        if (!u.isTextual()) {
          throw new IllegalArgumentException(at + "urls must hold strings, was " + u);
        }
        list.add(u.asText());
      }
      long pause = defaultPauseMillis;
      JsonNode p = rounds.get(i).get("pauseMs");
      if (p != null) {
        if (!p.isIntegralNumber() || !p.canConvertToLong()) {
          throw new IllegalArgumentException(
              at + "pauseMs must be a whole number in [0, " + MAX_PAUSE_MILLIS + "], was " + p);
        }
        pause = p.asLong();
        checkPause(at + "pauseMs", pause);
      }
      out.add(new Round(List.copyOf(list), pause));
    }
    return out;
  }

  private static void checkPause(String name, long pauseMillis) {
    if (pauseMillis < 0 || pauseMillis > MAX_PAUSE_MILLIS) {
      throw new IllegalArgumentException(
          name + " must be in [0, " + MAX_PAUSE_MILLIS + "], was " + pauseMillis);
    }
  }

  /** The message for a probe that asks for more than {@link #MAX_REQUESTS} requests. */
  private static String tooMany(long total) {
    return "asks for "
        + total
        + " requests in all; a probe sends at most "
        + MAX_REQUESTS
        + " (one JSON entry each)";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /**
   * Reads {@code K1,K2,..}: at most {@link #MAX_ROUNDS} sizes, each in [1, {@link #MAX_REQUESTS}].
   */
  static final class RoundSizesConverter implements ITypeConverter<RoundSizes> {
    @Override
    public RoundSizes convert(String value) {
      List<Integer> sizes = new ArrayList<>();
      for (String part : value.split(",", -1)) {
        long k;
        try {
          k = Long.parseLong(part.trim());
        } catch (NumberFormatException e) {
          throw new TypeConversionException(
              "must be a comma-separated list of whole numbers in [1, "
                  + MAX_REQUESTS
                  + "], was '"
                  + value
                  + "'");
        }
        if (k < 1 || k > MAX_REQUESTS) {
          throw new TypeConversionException(
              "values must be in [1, " + MAX_REQUESTS + "], was " + k + " in '" + value + "'");
        }
        sizes.add((int) k);
      }
      if (sizes.size() > MAX_ROUNDS) {
        throw new TypeConversionException(
            "takes at most " + MAX_ROUNDS + " rounds, was " + sizes.size());
      }
      long total = sizes.stream().mapToLong(Integer::longValue).sum();
      if (total > MAX_REQUESTS) {
        throw new TypeConversionException(tooMany(total));
      }
      return new RoundSizes(List.copyOf(sizes));
    }
  }
}
