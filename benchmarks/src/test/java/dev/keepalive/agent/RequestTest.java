package dev.keepalive.agent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a request puts on the wire, and which requests are refused before anything is sent. */
class RequestTest {

  private static String head(Request r) {
    return new String(r.encoded(false), ISO_8859_1);
  }

  @Test
  void ipv6LiteralIsBracketedOnceInHostAndNotInTheOriginName() {
    Request r = Request.get("http://[::1]:8080/");
    assertTrue(head(r).contains("\r\nHost: [::1]:8080\r\n"), head(r));
    assertEquals("::1", r.host());
    assertEquals("::1:8080:", r.name());
  }

  @Test
  void hostIsLowercasedAsNodesUrlParserDoes() {
    assertEquals("localhost:8080:", Request.get("http://LocalHost:8080/").name());
  }

  @Test
  void nonAsciiPathIsSentAsPercentEncodedUtf8() {
    Request r = Request.get("http://127.0.0.1:8080/bytes/日?q=é");
    assertTrue(head(r).startsWith("GET /bytes/%E6%97%A5?q=%C3%A9 HTTP/1.1\r\n"), head(r));
  }

  @Test
  void percentEncodedInputIsKeptAsIs() {
    Request r = Request.get("http://127.0.0.1:8080/a%20b/%E6%97%A5?x=%2F");
    assertTrue(head(r).startsWith("GET /a%20b/%E6%97%A5?x=%2F HTTP/1.1\r\n"), head(r));
  }

  @Test
  void portOutOfRangeIsRefusedAtBuildNamingThePort() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Request.get("http://127.0.0.1:70000/"));
    assertTrue(e.getMessage().contains("port must be in [1, 65535], was 70000"), e.getMessage());
  }
}
