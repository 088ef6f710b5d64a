package dev.keepalive.bench;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.BodyMode;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import dev.keepalive.server.HarnessServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One connection, one request in flight: {@code GET /} (13 bytes) against the embedded harness
 * server, keep-alive. Compares our agent (driven by the benchmark thread, as Node's caller drives
 * its loop) with the JDK {@code java.net.http.HttpClient} (HTTP/1.1 forced) in the same run. At
 * trial end the server's count must show exactly one connection: the figure is a reuse figure.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class SingleConnectionBenchmark {

  @Param({"keep-alive", "jdk-httpclient"})
  String strategy;

  private HarnessServer server;
  private Agent agent;
  private Request agentRequest;
  private HttpClient jdk;
  private HttpRequest jdkRequest;

  @Setup(Level.Trial)
  public void setUp() {
    server = HarnessServer.builder().idleTimeoutMillis(0).build().start();
    URI uri = server.uri();
    switch (strategy) {
      case "keep-alive" -> {
        agent = Agent.createDriven(AgentOptions.builder().keepAlive(true).build());
        agentRequest = Request.builder(uri).bodyMode(BodyMode.COUNT).build();
      }
      case "jdk-httpclient" -> {
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        jdkRequest = HttpRequest.newBuilder(uri).GET().build();
      }
      default -> throw new IllegalArgumentException("strategy must be keep-alive or jdk-httpclient, was " + strategy);
    }
  }

  @Benchmark
  public int get() throws IOException, InterruptedException {
    if (agent != null) {
      Response r = agent.await(agent.request(agentRequest));
      return r.status() + (int) r.bodyLength();
    }
    HttpResponse<byte[]> r = jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofByteArray());
    return r.statusCode() + r.body().length;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long connections = server.stats().connectionsAccepted();
    if (agent != null) {
      AgentStats st = agent.stats();
      agent.close();
      if (st.createSocketCount() != connections) {
        throw new IllegalStateException("client opened " + st.createSocketCount() + " connections, server counted "
            + connections);
      }
    }
    server.close();
    if (connections != 1) {
      throw new IllegalStateException(strategy + " used " + connections + " connections, expected 1 (keep-alive)");
    }
  }
}
