package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

  @Test
  void defaultsAreNodes() {
    AgentOptions o = AgentOptions.defaults();
    assertFalse(o.keepAlive());
    assertEquals(1000, o.keepAliveMsecs());
    assertEquals(AgentOptions.UNBOUNDED, o.maxSockets());
    assertEquals(256, o.maxFreeSockets());
    assertEquals(AgentOptions.UNBOUNDED, o.maxTotalSockets());
    assertEquals(Scheduling.LIFO, o.scheduling());
    assertEquals(0, o.timeoutMillis());
    assertEquals(16 * 1024, o.maxHeaderBytes());
    assertTrue(o.sendsConnectionClose());
    assertFalse(
        AgentOptions.builder().maxSockets(3).build().sendsConnectionClose(),
        "Node: bounded → keep-alive");
    assertFalse(AgentOptions.builder().keepAlive(true).build().sendsConnectionClose());
  }

  @Test
  void badValuesNameTheOptionAndValue() {
    assertMessage(
        "maxTotalSockets must be >= 1, was 0",
        () -> AgentOptions.builder().maxTotalSockets(0).build());
    assertMessage(
        "maxSockets must be >= 1, was -1", () -> AgentOptions.builder().maxSockets(-1).build());
    assertMessage(
        "maxFreeSockets must be >= 1, was 0",
        () -> AgentOptions.builder().maxFreeSockets(0).build());
    assertMessage(
        "keepAliveMsecs must be >= 1, was 0",
        () -> AgentOptions.builder().keepAliveMsecs(0).build());
    assertMessage(
        "timeoutMillis must be >= 0 (0 = none), was -3",
        () -> AgentOptions.builder().timeoutMillis(-3).build());
    assertMessage(
        "maxHeaderBytes must be in [1024, 16777216], was 10",
        () -> AgentOptions.builder().maxHeaderBytes(10).build());
    assertMessage(
        "scheduling must be one of: 'fifo', 'lifo', was 'filo'", () -> Scheduling.parse("filo"));
  }

  @Test
  void requestsAreValidated() {
    assertMessage(
        "uri must be an absolute http:// or https:// URI with a host, was 'ftp://x/'",
        () -> Request.get("ftp://x/"));
    assertMessage(
        "method must be an HTTP token, was 'G T'",
        () -> Request.builder("http://x/").method("G T").build());
    assertMessage(
        "header X has a value with CR, LF, NUL or non-Latin-1, was 'a\r\nb'",
        () -> Request.builder("http://x/").header("X", "a\r\nb").build());
  }

  @Test
  void requestsEncodeNodesHeaders() {
    Request r = Request.builder("http://127.0.0.1:8080/a?b=c").header("X-Y", "z").build();
    assertEquals(
        "GET /a?b=c HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Y: z\r\nConnection: keep-alive\r\n\r\n",
        new String(r.encoded(false)));
    Request post = Request.builder("http://h/").method("POST").body(new byte[] {'h', 'i'}).build();
    assertEquals(
        "POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi",
        new String(post.encoded(true)));
    Request userClose = Request.builder("http://h/").header("Connection", "Close").build();
    assertFalse(userClose.shouldKeepAlive(true));
    assertTrue(
        Request.builder("http://h/")
            .header("Connection", "keep-alive")
            .build()
            .shouldKeepAlive(false));
    assertEquals("h:80:", post.name());
  }

  private static void assertMessage(String expected, Supplier<?> s) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::get);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void keepAliveMsecsAboveWhatTheOsTakesIsRefusedWithTheRange() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> AgentOptions.builder().keepAliveMsecs(32_768_000).build());
    assertEquals(
        "keepAliveMsecs must be <= 32767999 (the OS takes TCP_KEEPIDLE in whole seconds up to"
            + " 32767), was 32768000",
        e.getMessage());
    AgentOptions.builder().keepAliveMsecs(32_767_000).build(); // the largest the OS takes
  }
}
