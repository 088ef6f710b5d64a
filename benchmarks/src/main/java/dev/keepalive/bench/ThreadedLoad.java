package dev.keepalive.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A blocking peer client as its users drive it: {@code concurrency} threads, each calling in a
 * closed loop. (Measured on JDK 17 here, the JDK client's blocking {@code send} is 2–3× faster per
 * connection than {@code sendAsync} with a hand-off.) The benchmark thread only takes completions,
 * off the workers' critical path. Peers expose no connection counts or phase timings: their
 * connections are the server's count, and only the total latency is recorded.
 *
 * <p>Thread-safety: worker threads (see the package): the workers call the client and queue each
 * completion; counts and histograms are the benchmark thread's, which takes the completions.
 */
final class ThreadedLoad implements Load {

  private record Done(long startNanos, long endNanos, Throwable error) {}

  private final PeerClient client;
  private final List<URI> uris;
  private final int concurrency;
  private final int work;
  private final PhaseHistograms histograms;
  private final ExecutorService workers;
  private final LoadCounts counts = new LoadCounts();
  private final AtomicLong issued = new AtomicLong();
  private final LinkedBlockingQueue<Done> completions = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private volatile boolean recording;

  @Override
  public void setRecording(boolean on) {
    recording = on;
  }

  ThreadedLoad(
      PeerClient client,
      List<URI> targets,
      String path,
      int concurrency,
      int work,
      PhaseHistograms histograms) {
    this.client = client;
    this.work = work;
    this.uris = targets.stream().map(t -> t.resolve(path)).toList();
    this.concurrency = concurrency;
    this.histograms = histograms;
    this.workers =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "peer-load");
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
    PeerClient.Caller caller = client.caller();
    int next = first % uris.size();
    while (running) {
      issued.incrementAndGet();
      long start = System.nanoTime();
      Throwable error = null;
      try {
        caller.get(uris.get(next));
      } catch (IOException | RuntimeException e) {
        error = e;
      } catch (InterruptedException e) {
        error = e;
        Thread.currentThread().interrupt();
      }
      completions.add(new Done(start, System.nanoTime(), error));
      if (error instanceof InterruptedException) {
        return;
      }
      if (work > 0) {
        Blackhole.consumeCPU(work); // the application's work before its next request
      }
      next = next + 1 == uris.size() ? 0 : next + 1;
    }
  }

  private void take(Done d) {
    if (d.error() == null) {
      counts.ok++;
      if (recording) {
        histograms.recordTotalNanos(d.endNanos() - d.startNanos());
      }
    } else {
      counts.error(PeerClient.classify(d.error()));
    }
  }

  @Override
  public void completeOne() throws InterruptedException {
    Done d = completions.poll(60, TimeUnit.SECONDS);
    if (d == null) {
      throw new IllegalStateException("no request completed within 60 s");
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
  public void close() {
    running = false;
    workers.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      System.err.println("keepalive-bench: closing the peer client failed: " + e);
    }
  }
}
