package dev.keepalive.bench;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.BodyMode;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Our agent driven by the benchmark thread itself: the agent's loop runs on this thread (as Node's
 * caller shares its loop), so a request costs no thread hand-off. Replacement requests are issued
 * after the loop step that completed their predecessor, so the freed socket is back in the pool
 * first (Node's order when the next request is made after {@code 'end'}).
 */
final class AgentLoad implements Load {
  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Agent agent;
  private final Request[] requests;
  private final int concurrency;
  private final int work;
  private final PhaseHistograms histograms;
  private final LoadCounts counts = new LoadCounts();
  private final BiConsumer<Response, AgentException> onDone = this::done;
  private int next;
  private int completedNotTaken;
  private boolean recording;

  @Override
  public void setRecording(boolean on) {
    recording = on;
  }

  /**
   * @param trust what the agent trusts over https (its {@code ca}); {@link ServerTrust#PLATFORM}
   *     keeps the strategy's options as they are
   */
  AgentLoad(
      Strategy strategy,
      ServerTrust trust,
      List<URI> targets,
      String path,
      int concurrency,
      int work,
      PhaseHistograms histograms) {
    this.agent = Agent.createDriven(trust.agentOptions(strategy.options()));
    this.concurrency = concurrency;
    this.work = work;
    this.histograms = histograms;
    this.requests = new Request[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      requests[i] = Request.builder(targets.get(i).resolve(path)).bodyMode(BodyMode.COUNT).build();
    }
  }

  @Override
  public void start() {
    for (int i = 0; i < concurrency; i++) {
      issue();
    }
  }

  private void issue() {
    Request r = requests[next];
    next = next + 1 == requests.length ? 0 : next + 1;
    counts.issued++;
    agent.request(r, onDone);
  }

  private void done(Response r, AgentException failure) {
    completedNotTaken++;
    if (failure == null) {
      counts.ok++;
      if (r.reusedSocket()) {
        counts.reused++;
      }
      if (recording) {
        histograms.record(r.timings());
      }
    } else {
      counts.error(failure.errorClass());
    }
  }

  @Override
  public void completeOne() {
    while (completedNotTaken == 0) {
      agent.runOnce(STEP_NANOS);
    }
    completedNotTaken--;
    if (work > 0) {
      Blackhole.consumeCPU(work); // the application's work before its next request
    }
    issue();
  }

  @Override
  public void drain(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (counts.inFlight() > 0 && System.nanoTime() < deadline) {
      agent.runOnce(STEP_NANOS);
    }
    completedNotTaken = 0;
  }

  @Override
  public LoadCounts counts() {
    return counts;
  }

  /** The agent's own counters (TLS handshakes full and resumed among them). */
  AgentStats agentStats() {
    return agent.stats();
  }

  @Override
  public long clientConnectionsOpened() {
    return agent.stats().createSocketCount();
  }

  @Override
  public void close() {
    agent.close();
  }
}
