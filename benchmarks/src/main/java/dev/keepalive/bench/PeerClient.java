package dev.keepalive.bench;

import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.ErrorClass;
import dev.keepalive.agent.Scheduling;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;

/**
 * A blocking client a user would pick instead of ours, configured to match the strategy's options
 * where it can express them. {@link #caller()} gives one thread its way of calling: the library
 * clients share one client (they are thread-safe); {@code raw-socket} gives each caller its own
 * connection.
 *
 * <p>Thread-safety: worker threads (see the package): a client is shared by a load's workers, a
 * {@link Caller} belongs to the one thread that asked for it.
 */
interface PeerClient extends AutoCloseable {

  /**
   * One thread's caller: a GET whose body is fully consumed, returning the body length. Every
   * client consumes bodies the same way: streamed into the caller's one reused buffer ({@link
   * #BUFFER_BYTES}) and counted, never collected into an array per response (our agent counts the
   * bytes it reads, {@code BodyMode.COUNT}).
   */
  interface Caller {
    long get(URI uri) throws IOException, InterruptedException;
  }

  Caller caller();

  /** The size of a caller's body buffer. */
  int BUFFER_BYTES = 16 * 1024;

  /** Reads a body to its end into {@code buffer}, reused; its length. */
  static long drain(InputStream body, byte[] buffer) throws IOException {
    long length = 0;
    for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
      length += n;
    }
    return length;
  }

  @Override
  void close() throws IOException;

  /** The peer client for a strategy; {@link Strategy.Client#AGENT} is not a peer. */
  static PeerClient create(Strategy s) {
    return create(s, ServerTrust.PLATFORM);
  }

  /**
   * The peer client for a strategy, trusting {@code trust} over https (hostname verification on);
   * {@code raw-socket} speaks plain TCP only.
   */
  static PeerClient create(Strategy s, ServerTrust trust) {
    return switch (s.client()) {
      case JDK_HTTPCLIENT -> new Jdk(trust);
      case APACHE_HC5 -> new ApacheHc5(s.options(), trust);
      case OKHTTP -> new OkHttp(s.options(), trust);
      case RAW_SOCKET -> new RawSocket();
      case AGENT ->
          throw new IllegalArgumentException(s.name() + " is our agent, not a peer client");
    };
  }

  /** Error class of a peer's failure, as close to ours as its exceptions allow. */
  static ErrorClass classify(Throwable t) {
    if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause(); // an async client's wrapper
    }
    if (t instanceof HttpTimeoutException
        || t instanceof SocketTimeoutException
        || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException
        // HC5 async: the wait for a pooled connection ran out (DeadlineTimeoutException)
        || t instanceof java.util.concurrent.TimeoutException
        || (t instanceof java.io.InterruptedIOException && "timeout".equals(t.getMessage()))) {
      return ErrorClass.TIMEOUT;
    }
    if (t instanceof ConnectException) {
      return ErrorClass.REFUSED;
    }
    if (t instanceof NoHttpResponseException) {
      return ErrorClass.CLOSED_EARLY;
    }
    String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("reset")) {
      return ErrorClass.RESET;
    }
    return t instanceof IOException ? ErrorClass.CLOSED_EARLY : ErrorClass.CONFIG;
  }

  /**
   * {@code java.net.http.HttpClient}, HTTP/1.1, blocking {@code send}. Pool knobs are system
   * properties read once ({@code jdk.httpclient.connectionPoolSize}, default 0 = unbounded idle
   * connections; {@code jdk.httpclient.keepalive.timeout}, default 1200 s); no per-host cap.
   */
  final class Jdk implements PeerClient {
    private final HttpClient client;
    private final Map<URI, HttpRequest> requests = new java.util.concurrent.ConcurrentHashMap<>();

    Jdk(ServerTrust trust) {
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(trust.sslContext())
              .build();
    }

    @Override
    public Caller caller() {
      byte[] buffer = new byte[BUFFER_BYTES];
      return uri -> {
        HttpResponse<InputStream> r =
            client.send(
                requests.computeIfAbsent(uri, u -> HttpRequest.newBuilder(u).GET().build()),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
          return drain(body, buffer);
        }
      };
    }

    @Override
    public void close() {
      // JDK 17's HttpClient has no close(); its threads end when it becomes unreachable
    }
  }

  /**
   * Apache HttpClient 5 classic with {@code PoolingHttpClientConnectionManager}: {@code
   * maxConnPerRoute} ↔ maxSockets, {@code maxConnTotal} ↔ maxTotalSockets, {@code PoolReusePolicy}
   * LIFO/FIFO ↔ scheduling, STRICT concurrency policy (LAX does not enforce the total). "Unbounded"
   * is 1024 per route and in total (HC5's own defaults are 5 and 25). Otherwise HC5's defaults,
   * retry strategy included (idempotent requests once).
   */
  final class ApacheHc5 implements PeerClient {
    static final int UNBOUNDED = 1024;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;

    /** An agent bound as HC5's pool takes it: "unbounded" is {@link #UNBOUNDED}. */
    static int bound(int agentBound) {
      return agentBound == AgentOptions.UNBOUNDED ? UNBOUNDED : agentBound;
    }

    ApacheHc5(AgentOptions o, ServerTrust trust) {
      pool =
          PoolingHttpClientConnectionManagerBuilder.create()
              .setTlsSocketStrategy(
                  ClientTlsStrategyBuilder.create()
                      .setSslContext(trust.sslContext())
                      .buildClassic())
              .setMaxConnPerRoute(bound(o.maxSockets()))
              .setMaxConnTotal(bound(o.maxTotalSockets()))
              .setConnPoolPolicy(
                  o.scheduling() == Scheduling.FIFO ? PoolReusePolicy.FIFO : PoolReusePolicy.LIFO)
              .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
              .build();
      client = HttpClients.custom().setConnectionManager(pool).disableCookieManagement().build();
    }

    @Override
    public Caller caller() {
      byte[] buffer = new byte[BUFFER_BYTES];
      return uri ->
          client.execute(
              new HttpGet(uri),
              response -> {
                if (response.getEntity() == null) {
                  return 0L;
                }
                try (InputStream body = response.getEntity().getContent()) {
                  return drain(body, buffer);
                }
              });
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  /**
   * OkHttp 4.12, synchronous calls. {@code ConnectionPool(maxIdleConnections, keepAliveDuration)}:
   * idle connections kept = maxFreeSockets (256, Node's default, instead of OkHttp's 5, which would
   * close connections between calls under load), 5 minutes. It has no cap on connections: {@code
   * Dispatcher.maxRequestsPerHost} limits only asynchronous calls. OkHttp 4 never sets {@code
   * TCP_NODELAY} itself (every other client here does, Node by default): its sockets come from a
   * {@link NoDelaySocketFactory}.
   */
  final class OkHttp implements PeerClient {
    final okhttp3.OkHttpClient client;

    OkHttp(AgentOptions o, ServerTrust trust) {
      javax.net.ssl.X509TrustManager tm = trust.trustManager();
      javax.net.ssl.SSLContext tls = ServerTrust.sslContext(tm);
      client =
          new okhttp3.OkHttpClient.Builder()
              .sslSocketFactory(tls.getSocketFactory(), tm)
              .connectionPool(new okhttp3.ConnectionPool(o.maxFreeSockets(), 5, TimeUnit.MINUTES))
              .retryOnConnectionFailure(true)
              .socketFactory(new NoDelaySocketFactory())
              .build();
    }

    @Override
    public Caller caller() {
      byte[] buffer = new byte[BUFFER_BYTES];
      return uri -> {
        okhttp3.Request request = new okhttp3.Request.Builder().url(uri.toString()).build();
        try (okhttp3.Response r = client.newCall(request).execute()) {
          return r.body() == null ? 0 : drain(r.body().byteStream(), buffer);
        }
      };
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /**
   * The floor: a minimal blocking HTTP/1.1 keep-alive client of our own — one socket per caller and
   * origin, the request pre-encoded, only Content-Length bodies parsed, no pool logic. Not a
   * product: the physical reference every other row is measured against. Blocking, for callers that
   * make one call at a time ({@code OverheadBenchmark} at concurrency 1, fault bursts); with
   * requests in flight at once, {@link RawSocketLoad} drives the floor from one selector instead.
   */
  final class RawSocket implements PeerClient {
    private final java.util.List<Socket> sockets =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Override
    public Caller caller() {
      Map<String, Connection> mine = new HashMap<>();
      return uri -> {
        String key = uri.getHost() + ":" + uri.getPort();
        Connection c = mine.get(key);
        if (c == null) {
          c = new Connection(uri);
          sockets.add(c.socket);
          mine.put(key, c);
        }
        return c.get(uri);
      };
    }

    @Override
    public void close() throws IOException {
      synchronized (sockets) {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }

    private static final class Connection {
      final Socket socket;
      final OutputStream out;
      final InputStream in;
      final Map<String, byte[]> encoded = new HashMap<>();
      final byte[] skip = new byte[16 * 1024];

      Connection(URI uri) throws IOException {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      }

      long get(URI uri) throws IOException {
        String path =
            uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        byte[] request =
            encoded.computeIfAbsent(
                path,
                p ->
                    ("GET "
                            + p
                            + " HTTP/1.1\r\nHost: "
                            + uri.getHost()
                            + ":"
                            + uri.getPort()
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.write(request);
        out.flush();
        long length = -1;
        int lineStart = 0;
        StringBuilder line = new StringBuilder(64);
        boolean statusLine = true;
        while (true) {
          int b = in.read();
          if (b < 0) {
            throw new IOException("raw-socket: connection closed before the response ended");
          }
          if (b != '\n') {
            if (b != '\r') {
              line.append((char) b);
            }
            continue;
          }
          if (line.length() == 0) {
            break;
          }
          if (!statusLine
              && line.length() > 15
              && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
            length = Long.parseLong(line.substring(15).trim());
          }
          statusLine = false;
          line.setLength(lineStart);
        }
        if (length < 0) {
          throw new IOException("raw-socket parses only Content-Length bodies");
        }
        for (long left = length; left > 0; ) {
          int n = in.read(skip, 0, (int) Math.min(skip.length, left));
          if (n < 0) {
            throw new IOException("raw-socket: connection closed mid-body");
          }
          left -= n;
        }
        return length;
      }
    }
  }
}
