package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import dev.keepalive.server.ServerStats;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The floor drives all its connections from one thread; peers get the same socket options. */
class FloorAndPeersTest {

  @Test
  void theFloorKeepsEveryRequestInFlightOnOneKeepAliveConnectionPerSlotAndOrigin()
      throws Exception {
    try (HarnessServer server = ServerOptions.builder().listeners(2).ioThreads(1).start()) {
      server.resetStats();
      PhaseHistograms h = new PhaseHistograms();
      int concurrency = 8;
      long completions = 2000;
      try (RawSocketLoad load =
          new RawSocketLoad(server.uris(), "/bytes/20000", concurrency, 0, h)) {
        load.setRecording(true);
        load.start();
        for (long i = 0; i < completions; i++) {
          load.completeOne();
        }
        load.drain(10_000);
        LoadCounts c = load.counts();
        c.requireComplete("raw-socket");
        assertEquals(0, c.errors, c.errorsByClass().toString());
        assertEquals(completions + concurrency, c.issued, "each completion issued the next");
        assertEquals(c.ok, h.total.getTotalCount(), "every completed request recorded");
        ServerStats s = server.stats();
        assertEquals(c.ok, s.requests(), "the server saw every request, no more");
        assertEquals(
            concurrency * 2L, s.connectionsAccepted(), "one connection per slot and origin");
        assertEquals(s.connectionsAccepted(), load.clientConnectionsOpened());
        for (var l : s.listeners()) {
          assertTrue(l.maxConnectionsOpen() <= concurrency, "per origin at most one per slot");
        }
      }
    }
  }

  @Test
  void contentLengthIsFoundWhateverItsCase() throws Exception {
    assertEquals(
        13,
        RawSocketLoad.contentLength(
            "HTTP/1.1 200 OK\r\ncontent-LENGTH:  13 \r\nConnection: keep-alive\r\n\r\n"));
  }

  @Test
  void okHttpsSocketsHaveTcpNoDelay() throws Exception {
    try (Socket s = new NoDelaySocketFactory().createSocket()) {
      assertTrue(s.getTcpNoDelay(), "OkHttp 4 would leave Nagle on");
    }
  }

  @Test
  void okHttpsConnectionsHaveTcpNoDelay() throws Exception {
    List<Boolean> noDelay = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (HarnessServer server = ServerOptions.builder().start();
        PeerClient.OkHttp peer =
            new PeerClient.OkHttp(Strategy.of(Strategy.OKHTTP).options(), ServerTrust.PLATFORM)) {
      okhttp3.OkHttpClient watched =
          peer.client
              .newBuilder()
              .eventListener(
                  new okhttp3.EventListener() {
                    @Override
                    public void connectionAcquired(okhttp3.Call call, okhttp3.Connection c) {
                      try {
                        noDelay.add(c.socket().getTcpNoDelay());
                      } catch (java.net.SocketException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }
                  })
              .build();
      try (okhttp3.Response r =
          watched
              .newCall(new okhttp3.Request.Builder().url(server.uris().get(0).toString()).build())
              .execute()) {
        assertEquals(200, r.code());
      }
    }
    assertEquals(List.of(true), noDelay, "OkHttp 4 alone leaves Nagle on");
  }

  @Test
  void everyPeerReturnsTheBodyLengthItStreamed() throws Exception {
    try (HarnessServer server = ServerOptions.builder().start()) {
      for (String row : List.of(Strategy.JDK_HTTPCLIENT, Strategy.APACHE_HC5, Strategy.OKHTTP)) {
        try (PeerClient peer = PeerClient.create(Strategy.of(row))) {
          PeerClient.Caller caller = peer.caller();
          assertEquals(50_000, caller.get(server.uris().get(0).resolve("/bytes/50000")), row);
          assertEquals(13, caller.get(server.uris().get(0).resolve("/")), row);
        }
      }
    }
  }
}
