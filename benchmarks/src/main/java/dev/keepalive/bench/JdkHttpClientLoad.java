package dev.keepalive.bench;

import dev.keepalive.agent.ErrorClass;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java.net.http.HttpClient} (HTTP/1.1 forced) as its users typically drive it: {@code
 * concurrency} threads, each calling the blocking {@code send} in a closed loop. (Measured on JDK
 * 17 here, blocking {@code send} is about 2–3× faster per connection than {@code sendAsync} with a
 * hand-off.) The benchmark thread only takes completions, off the workers' critical path. Its pool
 * knobs are system properties read once ({@code jdk.httpclient.connectionPoolSize}, {@code
 * jdk.httpclient.keepalive.timeout}); it has no per-host connection cap, and it exposes no
 * connection count or phase timings, so its connections are the server's count and only the total
 * latency is recorded.
 */
final class JdkHttpClientLoad implements Load {

  private record Done(long startNanos, long endNanos, Throwable error) {}

  private final HttpClient client;
  private final HttpRequest[] requests;
  private final int concurrency;
  private final PhaseHistograms histograms;
  private final ExecutorService workers;
  private final LoadCounts counts = new LoadCounts();
  private final AtomicLong issued = new AtomicLong();
  private final LinkedBlockingQueue<Done> completions = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  boolean recording;

  JdkHttpClientLoad(List<URI> targets, String path, int concurrency, PhaseHistograms histograms) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    this.concurrency = concurrency;
    this.histograms = histograms;
    this.requests = new HttpRequest[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      requests[i] = HttpRequest.newBuilder(targets.get(i).resolve(path)).GET().build();
    }
    this.workers = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "jdk-httpclient-load");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void start() {
    for (int i = 0; i < concurrency; i++) {
      int first = i;
      workers.execute(() -> loop(first));
    }
  }

  private void loop(int first) {
    int next = first % requests.length;
    while (running) {
      issued.incrementAndGet();
      long start = System.nanoTime();
      Throwable error = null;
      try {
        client.send(requests[next], HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        error = e;
      } catch (InterruptedException e) {
        error = e;
        Thread.currentThread().interrupt();
      }
      completions.add(new Done(start, System.nanoTime(), error));
      if (error instanceof InterruptedException) {
        return;
      }
      next = next + 1 == requests.length ? 0 : next + 1;
    }
  }

  private void take(Done d) {
    if (d.error() == null) {
      counts.ok++;
      if (recording) {
        histograms.recordTotalNanos(d.endNanos() - d.startNanos());
      }
    } else {
      counts.error(classify(d.error()));
    }
  }

  static ErrorClass classify(Throwable c) {
    if (c instanceof HttpTimeoutException) {
      return ErrorClass.TIMEOUT;
    }
    if (c instanceof ConnectException) {
      return ErrorClass.REFUSED;
    }
    if (c instanceof IOException && String.valueOf(c.getMessage()).toLowerCase().contains("reset")) {
      return ErrorClass.RESET;
    }
    return c instanceof IOException ? ErrorClass.CLOSED_EARLY : ErrorClass.CONFIG;
  }

  @Override
  public void completeOne() throws InterruptedException {
    Done d = completions.poll(60, TimeUnit.SECONDS);
    if (d == null) {
      throw new IllegalStateException("jdk-httpclient: no request completed within 60 s");
    }
    take(d);
  }

  @Override
  public void drain(long timeoutMillis) throws InterruptedException {
    running = false;
    workers.shutdown();
    workers.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    for (Done d = completions.poll(); d != null; d = completions.poll()) {
      take(d);
    }
  }

  @Override
  public LoadCounts counts() {
    counts.issued = issued.get();
    return counts;
  }

  @Override
  public long clientConnectionsOpened() {
    return -1;
  }

  @Override
  public long clientOpenSockets() {
    return -1;
  }

  @Override
  public void close() {
    running = false;
    workers.shutdownNow();
  }
}
