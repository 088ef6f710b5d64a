package dev.keepalive.agent;

import java.util.List;

/**
 * A complete response: status, headers, body (as the request's {@link BodyMode} asked), and how the
 * agent served it — {@link #reusedSocket()}, {@link #localPort()}, {@link #timings()}.
 *
 * <p>Thread-safety: immutable to its readers; safe to share once the agent has completed it.
 */
public final class Response {
  private final int status;
  private final ResponseHead head;
  private List<Header> headers; // decoded from head on first use
  private final byte[] body;
  private final long bodyLength;
  private final String bodySha256;
  private final boolean reusedSocket;
  private final int localPort;
  private final Timings timings;

  Response(
      int status,
      ResponseHead head,
      byte[] body,
      long bodyLength,
      String bodySha256,
      boolean reusedSocket,
      int localPort,
      Timings timings) {
    this.status = status;
    this.head = head == null ? ResponseHead.empty() : head;
    this.body = body;
    this.bodyLength = bodyLength;
    this.bodySha256 = bodySha256;
    this.reusedSocket = reusedSocket;
    this.localPort = localPort;
    this.timings = timings;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return head.reason();
  }

  /** Headers in the order received, names as received (decoded on first use; unmodifiable). */
  public List<Header> headers() {
    List<Header> h = headers;
    if (h == null) {
      h = head.headers(); // immutable: a racing second decode yields an equal list
      headers = h;
    }
    return h;
  }

  /** The first header of that name (case-insensitive), or null. */
  public String header(String name) {
    return head.header(name);
  }

  /** The decoded body (after de-chunking) for {@link BodyMode#BUFFER}; null for the other modes. */
  public byte[] body() {
    return body == null ? null : body.clone();
  }

  public long bodyLength() {
    return bodyLength;
  }

  /**
   * Lowercase hex SHA-256 of the decoded body, for {@link BodyMode#BUFFER} and {@link
   * BodyMode#DIGEST}; null for {@link BodyMode#COUNT}.
   */
  public String bodySha256() {
    if (bodySha256 == null && body != null) {
      return BodySink.sha256Hex(body);
    }
    return bodySha256;
  }

  /** True iff the request was given a socket from the free pool (Node's {@code reusedSocket}). */
  public boolean reusedSocket() {
    return reusedSocket;
  }

  /** The connection's local port: the server sees it as the client port ({@code X-Client-Port}). */
  public int localPort() {
    return localPort;
  }

  public Timings timings() {
    return timings;
  }

  @Override
  public String toString() {
    return status
        + " "
        + reason()
        + " ("
        + bodyLength
        + " bytes, port "
        + localPort
        + (reusedSocket ? ", reused)" : ")");
  }
}
