package dev.keepalive.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * What the harness does with a JVM it started (the harness server, the relay): a control request to
 * it on a connection of its own, and stopping it.
 *
 * <p>Thread-safety: stateless.
 */
final class ChildJvm {

  private ChildJvm() {}

  /**
   * One control request ({@code GET /stats}, {@code POST /stats/reset}) on its own connection, with
   * {@code Connection: close}; the body as text.
   *
   * @throws UncheckedIOException naming {@code what} and the request
   */
  static String control(String what, String method, URI uri) {
    return control(what, method, uri, null);
  }

  /**
   * The same over {@code https}: {@code tls} trusts the child's certificate (hostname verification
   * stays on); null for plain http.
   */
  static String control(String what, String method, URI uri, SSLContext tls) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      if (c instanceof HttpsURLConnection https && tls != null) {
        https.setSSLSocketFactory(tls.getSocketFactory());
      }
      c.setRequestMethod(method);
      c.setRequestProperty("Connection", "close");
      c.setConnectTimeout(5000);
      c.setReadTimeout(5000);
      try (var in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          what + " control request " + method + " " + uri + " failed", e);
    }
  }

  /** SIGTERM, then SIGKILL after 10 s; waits for the process either way. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
