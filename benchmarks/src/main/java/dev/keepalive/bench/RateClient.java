package dev.keepalive.bench;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.BodyMode;
import dev.keepalive.agent.ErrorClass;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Timings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client as an open-loop load drives it: {@link #issue} starts a request at once and never waits
 * for anything in flight, so the client's threads do not cap the arrivals. Our agent is driven on
 * the benchmark thread ({@link Agent#createDriven}: {@link #poll} runs its loop); the peers are
 * driven through their asynchronous APIs ({@code HttpClient.sendAsync}, OkHttp's {@code enqueue}
 * with the dispatcher's caps lifted, Apache HttpClient 5's {@code CloseableHttpAsyncClient}) and
 * hand each outcome back through a queue that {@link #poll} drains. The raw-socket floor has no
 * open-loop form.
 *
 * <p>Thread-safety: benchmark thread (see the package); peer outcomes cross from the peer's threads
 * through a concurrent queue (the worker-threads rule), and every {@link Outcome} runs on the
 * benchmark thread, inside {@link #poll}.
 */
abstract class RateClient implements AutoCloseable {

  /** How one request ended; called exactly once per issued request. */
  interface Outcome {
    /**
     * @param endNanos when it ended ({@link System#nanoTime()} scale)
     * @param error null for a response, else its class
     * @param timings our agent's phase timings of a response, else null
     */
    void ended(long endNanos, ErrorClass error, Timings timings);
  }

  /** Starts a GET of {@code uri} now. */
  abstract void issue(URI uri, Outcome outcome);

  /** Hands over outcomes that are ready, waiting at most {@code maxWaitNanos} for the first. */
  abstract void poll(long maxWaitNanos) throws InterruptedException;

  /**
   * Hands over outcomes until {@code deadlineNanos} ({@link System#nanoTime()} scale), returning
   * close after it: the next request is due then. Outcomes are handed over as they arrive, so a
   * response's end is not delayed by the wait.
   *
   * @param inFlight whether any request is in flight (an outcome may arrive before the deadline)
   */
  void waitUntil(long deadlineNanos, boolean inFlight) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      poll(left);
    }
  }

  /** Connections the client opened, or -1 when it does not say. */
  abstract long connectionsOpened();

  /** Requests waiting inside the client for a connection now, or -1 when it does not say. */
  abstract int queued();

  /** Connections open now, or -1 when the client does not say. */
  abstract int openSockets();

  @Override
  public abstract void close();

  /**
   * @param timeoutMillis the whole-request deadline, ms (error class {@code timeout}); 0 = none
   * @throws IllegalArgumentException for a strategy that has no asynchronous form here
   */
  static RateClient create(Strategy s, long timeoutMillis) {
    return switch (s.client()) {
      case AGENT -> new AgentClient(s, timeoutMillis);
      case JDK_HTTPCLIENT -> new JdkAsync(timeoutMillis);
      case OKHTTP -> new OkHttpAsync(s, timeoutMillis);
      case APACHE_HC5 -> new ApacheHc5Async(s, timeoutMillis);
      case RAW_SOCKET ->
          throw new IllegalArgumentException(
              "strategy "
                  + s.name()
                  + " has no open-loop (asynchronous) form; use our agent's rows, "
                  + Strategy.JDK_HTTPCLIENT
                  + ", "
                  + Strategy.OKHTTP
                  + " or "
                  + Strategy.APACHE_HC5);
    };
  }

  /** Our agent, its loop run by the benchmark thread. */
  private static final class AgentClient extends RateClient {
    private static final long MILLI = 1_000_000;
    private final Agent agent;
    private final Map<URI, Request> requests = new HashMap<>();
    private final long timeoutMillis;

    AgentClient(Strategy s, long timeoutMillis) {
      agent = Agent.createDriven(s.options());
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    void issue(URI uri, Outcome outcome) {
      Request r =
          requests.computeIfAbsent(
              uri,
              u ->
                  Request.builder(u).bodyMode(BodyMode.COUNT).timeoutMillis(timeoutMillis).build());
      agent.request(
          r,
          (response, failure) ->
              outcome.ended(
                  System.nanoTime(),
                  failure == null ? null : failure.errorClass(),
                  response == null ? null : response.timings()));
    }

    @Override
    void poll(long maxWaitNanos) {
      agent.runOnce(maxWaitNanos);
    }

    /**
     * The loop's selector waits in whole milliseconds (rounded up), so it waits whole milliseconds
     * while at least one is left; below that it polls the selector while anything is in flight (a
     * response is seen when it arrives, not up to a millisecond later) and parks otherwise.
     */
    @Override
    void waitUntil(long deadlineNanos, boolean inFlight) {
      long left = deadlineNanos - System.nanoTime();
      if (left >= MILLI) {
        agent.runOnce(left / MILLI * MILLI);
      } else if (left > 0 && inFlight) {
        agent.runOnce(0);
        Thread.onSpinWait();
      } else if (left > 0) {
        LockSupport.parkNanos(left);
        agent.runOnce(0);
      }
    }

    @Override
    long connectionsOpened() {
      return agent.stats().createSocketCount();
    }

    @Override
    int queued() {
      return agent.stats().queuedRequests();
    }

    @Override
    int openSockets() {
      AgentStats s = agent.stats();
      return s.openSockets();
    }

    @Override
    public void close() {
      agent.close();
    }
  }

  /** A peer's outcome on its way to the benchmark thread. */
  private record Done(Outcome outcome, long endNanos, Throwable error) {}

  /** The part of a peer that takes outcomes from its threads. */
  private abstract static class Peer extends RateClient {
    private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();

    final void ended(Outcome outcome, Throwable error) {
      done.add(new Done(outcome, System.nanoTime(), error));
    }

    @Override
    final void poll(long maxWaitNanos) throws InterruptedException {
      Done d = maxWaitNanos <= 0 ? done.poll() : done.poll(maxWaitNanos, TimeUnit.NANOSECONDS);
      for (; d != null; d = done.poll()) {
        d.outcome()
            .ended(d.endNanos(), d.error() == null ? null : PeerClient.classify(d.error()), null);
      }
    }

    @Override
    long connectionsOpened() {
      return -1;
    }

    @Override
    int openSockets() {
      return -1;
    }
  }

  /**
   * {@code java.net.http.HttpClient}, HTTP/1.1, {@code sendAsync}: one selector thread of its own
   * plus its default executor for completions; no per-host connection cap.
   */
  private static final class JdkAsync extends Peer {
    private final HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<URI, HttpRequest> requests = new HashMap<>();
    private final long timeoutMillis;

    JdkAsync(long timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    void issue(URI uri, Outcome outcome) {
      HttpRequest r =
          requests.computeIfAbsent(
              uri,
              u -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(u).GET();
                if (timeoutMillis > 0) {
                  b.timeout(Duration.ofMillis(timeoutMillis));
                }
                return b.build();
              });
      client
          .sendAsync(r, HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, error) -> ended(outcome, error));
    }

    @Override
    int queued() {
      return -1;
    }

    @Override
    public void close() {
      // JDK 17's HttpClient has no close(); its threads end when it becomes unreachable
    }
  }

  /**
   * OkHttp 4.12, {@code enqueue}: its dispatcher's {@code maxRequests} and {@code
   * maxRequestsPerHost} (64 and 5 by default) raised to {@link Integer#MAX_VALUE}, so calls never
   * wait in the dispatcher; each call in flight holds one of the dispatcher's threads (blocking I/O
   * underneath).
   */
  private static final class OkHttpAsync extends Peer {
    private final okhttp3.OkHttpClient client;

    OkHttpAsync(Strategy s, long timeoutMillis) {
      okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
      dispatcher.setMaxRequests(Integer.MAX_VALUE);
      dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
      client =
          new okhttp3.OkHttpClient.Builder()
              .dispatcher(dispatcher)
              .connectionPool(
                  new okhttp3.ConnectionPool(s.options().maxFreeSockets(), 5, TimeUnit.MINUTES))
              .callTimeout(Duration.ofMillis(timeoutMillis))
              .retryOnConnectionFailure(true)
              .build();
    }

    @Override
    void issue(URI uri, Outcome outcome) {
      okhttp3.Request request = new okhttp3.Request.Builder().url(uri.toString()).build();
      client
          .newCall(request)
          .enqueue(
              new okhttp3.Callback() {
                @Override
                public void onFailure(okhttp3.Call call, IOException e) {
                  ended(outcome, e);
                }

                @Override
                public void onResponse(okhttp3.Call call, okhttp3.Response response) {
                  try (response) {
                    if (response.body() != null) {
                      response.body().bytes();
                    }
                    ended(outcome, null);
                  } catch (IOException e) {
                    ended(outcome, e);
                  }
                }
              });
    }

    @Override
    int queued() {
      return client.dispatcher().queuedCallsCount();
    }

    @Override
    public void close() {
      client.dispatcher().cancelAll();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /**
   * Apache HttpClient 5 async ({@code CloseableHttpAsyncClient}, HTTP/1.1): one I/O reactor thread
   * (as our agent has one loop), a pooling connection manager with the strategy's bounds (1024 per
   * route and in total for "unbounded", as the closed-loop row) and its reuse order; requests
   * beyond the bound wait in the pool for a lease. The body is streamed and counted, not kept. HC5
   * has no whole-request deadline: {@code timeoutMs} bounds the wait for a pooled connection and
   * the wait for the response, each.
   */
  private static final class ApacheHc5Async extends Peer {
    private final org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager pool;
    private final org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client;

    ApacheHc5Async(Strategy s, long timeoutMillis) {
      dev.keepalive.agent.AgentOptions o = s.options();
      pool =
          org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder.create()
              .setMaxConnPerRoute(PeerClient.ApacheHc5.bound(o.maxSockets()))
              .setMaxConnTotal(PeerClient.ApacheHc5.bound(o.maxTotalSockets()))
              .setConnPoolPolicy(
                  o.scheduling() == dev.keepalive.agent.Scheduling.FIFO
                      ? org.apache.hc.core5.pool.PoolReusePolicy.FIFO
                      : org.apache.hc.core5.pool.PoolReusePolicy.LIFO)
              .setPoolConcurrencyPolicy(org.apache.hc.core5.pool.PoolConcurrencyPolicy.STRICT)
              .build();
      org.apache.hc.client5.http.config.RequestConfig.Builder config =
          org.apache.hc.client5.http.config.RequestConfig.custom();
      if (timeoutMillis > 0) {
        org.apache.hc.core5.util.Timeout t =
            org.apache.hc.core5.util.Timeout.ofMilliseconds(timeoutMillis);
        config.setConnectionRequestTimeout(t).setResponseTimeout(t);
      }
      client =
          org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom()
              .setConnectionManager(pool)
              .setIOReactorConfig(
                  org.apache.hc.core5.reactor.IOReactorConfig.custom().setIoThreadCount(1).build())
              .setDefaultRequestConfig(config.build())
              .disableCookieManagement()
              .build();
      client.start();
    }

    @Override
    void issue(URI uri, Outcome outcome) {
      client.execute(
          new org.apache.hc.core5.http.nio.support.BasicRequestProducer(
              org.apache.hc.core5.http.Method.GET, uri),
          new CountingConsumer(),
          new org.apache.hc.core5.concurrent.FutureCallback<Long>() {
            @Override
            public void completed(Long bytes) {
              ended(outcome, null);
            }

            @Override
            public void failed(Exception e) {
              ended(outcome, e);
            }

            @Override
            public void cancelled() {
              ended(outcome, new java.util.concurrent.CancellationException("cancelled"));
            }
          });
    }

    @Override
    int queued() {
      return pool.getTotalStats().getPending();
    }

    @Override
    public void close() {
      client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }
  }

  /** Counts a response body's bytes as they stream in, keeping none (as our agent does). */
  private static final class CountingConsumer
      extends org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer<Long> {
    private long bytes;

    @Override
    protected void start(
        org.apache.hc.core5.http.HttpResponse response,
        org.apache.hc.core5.http.ContentType contentType) {
      bytes = 0;
    }

    @Override
    protected Long buildResult() {
      return bytes;
    }

    @Override
    protected int capacityIncrement() {
      return Integer.MAX_VALUE;
    }

    @Override
    protected void data(java.nio.ByteBuffer data, boolean endOfStream) {
      bytes += data.remaining();
      data.position(data.limit());
    }

    @Override
    public void releaseResources() {}
  }
}
