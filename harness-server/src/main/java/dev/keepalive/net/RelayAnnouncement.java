package dev.keepalive.net;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The first line the standalone relay prints, and the one place that writes and reads it: {@code
 * relay listening on http://127.0.0.1:41234/ stats http://127.0.0.1:41235/stats (to 127.0.0.1:8080;
 * rtt 10 ms, jitter 0 ms, bandwidth unlimited, idle close off)}. With several listeners, their URLs
 * come in target order before {@code stats}. A process that starts the relay (the benchmarks) reads
 * its URLs back with {@link #parse}.
 *
 * @param uris the listeners' URLs, in target order
 * @param statsUri the control endpoint's {@code /stats} URL
 * @param description what the path does, in words (ignored by {@link #parse})
 */
public record RelayAnnouncement(List<URI> uris, URI statsUri, String description) {

  private static final String PREFIX = "relay listening on ";
  private static final String STATS = " stats ";

  /** What {@code relay} prints for a started relay. */
  public static RelayAnnouncement of(Relay relay) {
    List<String> targets = new ArrayList<>();
    relay.options().targets().forEach(t -> targets.add(t.getHostString() + ":" + t.getPort()));
    return new RelayAnnouncement(
        relay.uris(), relay.statsUri(), "to " + String.join(" ", targets) + "; " + relay.options());
  }

  /** The line, without a line separator. */
  public String format() {
    StringBuilder sb = new StringBuilder(PREFIX);
    uris.forEach(u -> sb.append(u).append(' '));
    return sb.append("stats ")
        .append(statsUri)
        .append(" (")
        .append(description)
        .append(')')
        .toString();
  }

  /**
   * Reads a line {@link #format()} wrote.
   *
   * @throws IllegalArgumentException when the line is something else (quoted in the message)
   */
  public static RelayAnnouncement parse(String line) {
    int stats = line == null ? -1 : line.indexOf(STATS);
    if (line == null || !line.startsWith(PREFIX) || stats < PREFIX.length()) {
      throw new IllegalArgumentException("not the relay's first line: '" + line + "'");
    }
    List<URI> uris = new ArrayList<>();
    for (String u : line.substring(PREFIX.length(), stats).trim().split(" ")) {
      uris.add(URI.create(u));
    }
    String rest = line.substring(stats + STATS.length());
    int space = rest.indexOf(' ');
    URI statsUri = URI.create(space < 0 ? rest : rest.substring(0, space));
    String description =
        space < 0
            ? ""
            : rest.substring(space + 1).replaceFirst("^\\(", "").replaceFirst("\\)$", "");
    return new RelayAnnouncement(List.copyOf(uris), statsUri, description);
  }
}
