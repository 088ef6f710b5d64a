package dev.keepalive.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One plain TCP connection speaking just enough HTTP/1.1 for the server's tests. */
final class RawConnection implements AutoCloseable {

  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    int clientPort() {
      return Integer.parseInt(header("X-Client-Port"));
    }

    long connectionRequests() {
      return Long.parseLong(header("X-Connection-Requests"));
    }

    String text() {
      return new String(body, US_ASCII);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int port;

  RawConnection(int port) throws IOException {
    this.port = port;
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** The socket's output, for a test that streams a body from a thread of its own. */
  OutputStream output() {
    return out;
  }

  int localPort() {
    return socket.getLocalPort();
  }

  void setReadTimeoutMillis(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** The {@code Host} header value naming the server: {@code 127.0.0.1:port}. */
  String host() {
    return "127.0.0.1:" + port;
  }

  void send(String method, String path, String... headerLines) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host());
    sb.append("\r\n");
    for (String h : headerLines) {
      sb.append(h).append("\r\n");
    }
    sb.append("\r\n");
    out.write(sb.toString().getBytes(US_ASCII));
    out.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends {@code text} as it is (ISO-8859-1), with {@code {host}} replaced by {@link #host()}. */
  void sendRaw(String text) throws IOException {
    sendRaw(text.replace("{host}", host()).getBytes(StandardCharsets.ISO_8859_1));
  }

  /** {@link #sendRaw(String)}, then {@link #read()}. */
  Response sendAndRead(String text) throws IOException {
    sendRaw(text);
    return read();
  }

  Response get(String path, String... headerLines) throws IOException {
    send("GET", path, headerLines);
    return read();
  }

  /** Reads one response head and a Content-Length or chunked body. */
  Response read() throws IOException {
    return read(true);
  }

  /** Reads the head of a response that has no body (the answer to a HEAD request). */
  Response readHead() throws IOException {
    return read(false);
  }

  private Response read(boolean withBody) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("EOF before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(); l != null && !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.put(
          l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (!withBody) {
      return new Response(status, headers, body.toByteArray());
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line().trim(), 16);
          size > 0;
          size = Integer.parseInt(line().trim(), 16)) {
        body.write(in.readNBytes(size));
        line();
      }
      line();
    } else if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    }
    return new Response(status, headers, body.toByteArray());
  }

  /** All bytes until EOF (or until the read timeout, which fails). */
  byte[] readToEof() throws IOException {
    return in.readAllBytes();
  }

  /** True when the server closed the connection within the socket's read timeout. */
  boolean eofWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
