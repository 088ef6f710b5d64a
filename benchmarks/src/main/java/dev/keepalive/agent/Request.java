package dev.keepalive.agent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 request: method, absolute {@code http} URI, headers, optional body, optional
 * timeout, and what to keep of the response body. Immutable, so one instance can be sent any number
 * of times (its encoded head is cached).
 */
public final class Request {

  private final String method;
  private final URI uri;
  private final List<Header> headers;
  private final byte[] body;
  private final long timeoutMillis;
  private final BodyMode bodyMode;
  private final boolean idempotent;
  // derived
  private final String host;
  private final boolean secure;
  private final int port;
  private volatile String secureName;
  private final String name;
  private final boolean userConnectionClose;
  private final boolean userConnectionHeader;
  private volatile byte[] encodedKeepAlive;
  private volatile byte[] encodedClose;

  private Request(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.headers = List.copyOf(b.headers);
    this.body = b.body;
    this.timeoutMillis = b.timeoutMillis;
    this.bodyMode = b.bodyMode;
    this.idempotent = b.idempotent;
    this.host = hostOf(uri);
    this.secure = "https".equalsIgnoreCase(uri.getScheme());
    this.port = uri.getPort() == -1 ? (secure ? 443 : 80) : uri.getPort();
    // Node's getName: host:port:localAddress (no family, no socketPath here); Node's URL parser
    // gives the host lowercased and an IPv6 literal without its brackets
    this.name = host + ":" + port + ":";
    boolean hasConnection = false;
    boolean close = false;
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase("connection")) {
        hasConnection = true;
        close |= mentionsClose(h.value());
      }
    }
    this.userConnectionHeader = hasConnection;
    this.userConnectionClose = close;
  }

  /** The host to connect to: lowercased, an IPv6 literal without the URI's brackets. */
  private static String hostOf(URI uri) {
    String h = uri.getHost().toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /**
   * The request target (RFC 9112 origin-form) in ASCII: characters outside US-ASCII are sent as
   * UTF-8, percent-encoded (RFC 3986); percent-encoded input is kept as it is.
   */
  private static String requestTarget(URI uri) {
    URI ascii = URI.create(uri.toASCIIString());
    String path =
        ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    return ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
  }

  /** Node's {@code /(?:^|\W)close(?:$|\W)/i} on a user-set Connection header. */
  private static boolean mentionsClose(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    for (int i = v.indexOf("close"); i >= 0; i = v.indexOf("close", i + 1)) {
      boolean startOk =
          i == 0 || !Character.isLetterOrDigit(v.charAt(i - 1)) && v.charAt(i - 1) != '_';
      int end = i + 5;
      boolean endOk =
          end == v.length() || !Character.isLetterOrDigit(v.charAt(end)) && v.charAt(end) != '_';
      if (startOk && endOk) {
        return true;
      }
    }
    return false;
  }

  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  public static Builder builder(String uri) {
    return new Builder(parseUri(uri));
  }

  /** A plain GET of {@code uri}. */
  public static Request get(String uri) {
    return builder(uri).build();
  }

  private static URI parseUri(String uri) {
    try {
      return new URI(uri);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "uri is not a valid URI, was '" + uri + "': " + e.getReason());
    }
  }

  public String method() {
    return method;
  }

  public URI uri() {
    return uri;
  }

  public List<Header> headers() {
    return headers;
  }

  /** The request body, or null for none. */
  public byte[] body() {
    return body == null ? null : body.clone();
  }

  /** Deadline for the whole request (queue, connect, write, response), ms; 0 = none. */
  public long timeoutMillis() {
    return timeoutMillis;
  }

  public BodyMode bodyMode() {
    return bodyMode;
  }

  /**
   * Whether a retry could not change the outcome: an idempotent method, or marked so by the caller.
   */
  public boolean idempotent() {
    return idempotent;
  }

  /** The origin key, Node's {@code getName()}: {@code host:port:}. */
  public String name() {
    return name;
  }

  String host() {
    return host;
  }

  /** Whether this is an {@code https:} request. */
  public boolean secure() {
    return secure;
  }

  /**
   * The origin key of an {@code https:} request: {@link #name()} plus the agent's TLS options, as
   * Node's {@code https.Agent.getName} appends them (cached: an agent's options do not change).
   */
  String secureName(String tlsSuffix) {
    String n = secureName;
    if (n == null || !n.endsWith(tlsSuffix) || n.length() != name.length() + tlsSuffix.length()) {
      n = name + tlsSuffix;
      secureName = n;
    }
    return n;
  }

  int port() {
    return port;
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  /** Node's request-side {@code shouldKeepAlive}, given the agent's default. */
  boolean shouldKeepAlive(boolean agentKeepsAlive) {
    if (userConnectionHeader) {
      return !userConnectionClose;
    }
    return agentKeepsAlive;
  }

  /** The request's bytes, head and body, in one array: one write, one segment where possible. */
  byte[] encoded(boolean connectionClose) {
    byte[] cached = connectionClose ? encodedClose : encodedKeepAlive;
    if (cached == null) {
      cached = encode(connectionClose);
      if (connectionClose) {
        encodedClose = cached;
      } else {
        encodedKeepAlive = cached;
      }
    }
    return cached;
  }

  private byte[] encode(boolean connectionClose) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(method).append(' ').append(requestTarget(uri)).append(" HTTP/1.1\r\n");
    boolean hasHost = false;
    boolean hasLength = false;
    for (Header h : headers) {
      hasHost |= h.name().equalsIgnoreCase("host");
      hasLength |=
          h.name().equalsIgnoreCase("content-length")
              || h.name().equalsIgnoreCase("transfer-encoding");
    }
    if (!hasHost) {
      String hostText = host.contains(":") ? "[" + host + "]" : host;
      sb.append("Host: ").append(hostText);
      if (port != (secure ? 443 : 80)) {
        sb.append(':').append(port);
      }
      sb.append("\r\n");
    }
    for (Header h : headers) {
      sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    if (!userConnectionHeader) {
      sb.append(connectionClose ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
    }
    if (!hasLength
        && (body != null
            || method.equals("POST")
            || method.equals("PUT")
            || method.equals("PATCH"))) {
      sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
    }
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(ISO_8859_1);
    if (body == null || body.length == 0) {
      return head;
    }
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }

  /** Builder; {@link #build()} validates and names what is wrong. */
  public static final class Builder {
    private final URI uri;
    private String method = "GET";
    private final List<Header> headers = new ArrayList<>();
    private byte[] body;
    private long timeoutMillis;
    private BodyMode bodyMode = BodyMode.BUFFER;
    private Boolean idempotent;

    private Builder(URI uri) {
      this.uri = uri;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder header(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    public Builder body(byte[] body) {
      this.body = body == null ? null : body.clone();
      return this;
    }

    public Builder timeoutMillis(long timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
      return this;
    }

    public Builder bodyMode(BodyMode bodyMode) {
      this.bodyMode = bodyMode;
      return this;
    }

    /** Marks the request safe (or unsafe) to retry, whatever its method. */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the field and the value
     */
    public Request build() {
      if (uri == null
          || !("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "uri must be an absolute http:// or https:// URI with a host, was '" + uri + "'");
      }
      if (uri.getPort() == 0 || uri.getPort() > 65535) {
        throw new IllegalArgumentException(
            "uri port must be in [1, 65535], was " + uri.getPort() + " in '" + uri + "'");
      }
      if (method == null || method.isEmpty() || !isToken(method)) {
        throw new IllegalArgumentException("method must be an HTTP token, was '" + method + "'");
      }
      for (Header h : headers) {
        if (h.name() == null || h.name().isEmpty() || !isToken(h.name())) {
          throw new IllegalArgumentException(
              "header name must be an HTTP token, was '" + h.name() + "'");
        }
        if (h.value() == null
            || h.value().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0 || c > 0xff)) {
          throw new IllegalArgumentException(
              "header "
                  + h.name()
                  + " has a value with CR, LF, NUL or non-Latin-1, was '"
                  + h.value()
                  + "'");
        }
      }
      if (timeoutMillis < 0) {
        throw new IllegalArgumentException(
            "timeoutMillis must be >= 0 (0 = none), was " + timeoutMillis);
      }
      if (bodyMode == null) {
        throw new IllegalArgumentException(
            "bodyMode must be one of BUFFER, DIGEST, COUNT, was null");
      }
      if (idempotent == null) {
        idempotent =
            switch (method) {
              case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
              default -> false;
            };
      }
      return new Request(this);
    }

    static boolean isToken(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok = c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
