package dev.keepalive.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What is compared for one scenario: per request, in round and index order, the connection the
 * server saw it on (connections named A, B, C… by first use), whether the client reported {@code
 * reusedSocket}, the {@code Connection} header the server received, and the outcome the client
 * reported (status and body, or the error class); then how many connections the server accepted;
 * over HTTPS, then each connection's TLS handshake as the server saw it ({@code tls A full}, {@code
 * tls B resumed}). One line each, e.g. {@code 1.0 A reused keep-alive 200 ok}.
 */
public record Trace(List<String> lines) {

  /** What a client reported for one request. */
  record Outcome(int round, int index, int status, String body, boolean reused, String error) {

    String describe() {
      return error != null ? "error " + error : status + " " + body;
    }
  }

  /** Joins the client's outcomes with what the server saw of the same requests. */
  static Trace of(List<Outcome> outcomes, ScenarioServer.Log server) {
    Map<Integer, String> names = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (Outcome o : outcomes) {
      String id = o.round() + "." + o.index();
      Integer connection = server.connectionOf.get(id);
      String name =
          connection == null
              ? "-"
              : names.computeIfAbsent(connection, k -> String.valueOf((char) ('A' + names.size())));
      String header = server.connectionHeaderOf.getOrDefault(id, "-");
      lines.add(
          id
              + " "
              + name
              + (o.reused() ? " reused " : " ")
              + (connection == null ? "" : header + " ")
              + o.describe());
    }
    lines.add("connections accepted: " + server.connections.size());
    List<String> handshakes = new ArrayList<>();
    for (Map.Entry<Integer, String> h : server.handshakeOf.entrySet()) {
      handshakes.add("tls " + names.getOrDefault(h.getKey(), "-") + " " + h.getValue());
    }
    handshakes.sort(null); // by connection name; those that carried no request ("-") first
    lines.addAll(handshakes);
    return new Trace(List.copyOf(lines));
  }

  /**
   * The lines where {@code ours} differs from this trace (Node's), as {@code node: …} / {@code
   * ours: …} pairs.
   */
  public List<String> differences(Trace ours) {
    Trace other = ours;
    List<String> out = new ArrayList<>();
    int n = Math.max(lines.size(), other.lines.size());
    for (int i = 0; i < n; i++) {
      String a = i < lines.size() ? lines.get(i) : "(none)";
      String b = i < other.lines.size() ? other.lines.get(i) : "(none)";
      if (!a.equals(b)) {
        out.add("node: " + a);
        out.add("ours: " + b);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return String.join("\n", lines);
  }
}
