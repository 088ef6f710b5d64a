package dev.keepalive.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A pooling HTTP/1.1 client that reproduces Node's {@code http.Agent} (v20): the same options, the
 * same pool decisions ({@link Pool}), the same {@code reusedSocket}, no automatic retry (unless
 * {@link AgentOptions#retryOnStaleSocket()} asks for one).
 *
 * <p>Threading: all pool and socket state lives on one event loop and needs no locks. {@link
 * #create} gives the agent a loop thread of its own, so {@link #request} and {@link #send} may be
 * called from any thread. {@link #createDriven} gives it none: the calling thread drives the loop
 * with {@link #runOnce} or {@link #await} (as Node's caller shares its loop) and pays no thread
 * hand-off per request. This class is the façade; the loop-confined work is {@link Connections}'.
 */
public final class Agent implements AutoCloseable {

  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final long STATS_WAIT_SECONDS = 10;

  private final AgentOptions options;
  private final EventLoop loop = new EventLoop();
  private final Connections connections;
  private final boolean connectionClose;
  private final String tlsNameSuffix;

  /** Node's request-side default: a request may keep its socket iff keepAlive or bounded. */
  private final boolean requestsKeepAlive;

  private volatile boolean closed;

  private Agent(AgentOptions options, boolean ownThread) {
    this.options = options;
    this.connectionClose = options.sendsConnectionClose();
    this.tlsNameSuffix = ":" + options.tls().nameSuffix();
    this.requestsKeepAlive = options.keepAlive() || options.maxSockets() != AgentOptions.UNBOUNDED;
    this.connections = new Connections(options, loop);
    loop.onFailure(this::failed);
    if (ownThread) {
      loop.startThread("keepalive-agent-" + SEQ.incrementAndGet());
    }
  }

  /** An agent with a loop thread of its own: call it from any thread. */
  public static Agent create(AgentOptions options) {
    return new Agent(options, true);
  }

  /**
   * Node's {@code agent: false}: every request on a fresh connection with {@code Connection:
   * close}. (Node builds a default Agent per request; one default agent behaves the same, as it
   * never queues and never pools — and keeps no TLS session, since a new Node agent's session cache
   * starts empty.)
   */
  public static Agent none() {
    return create(
        AgentOptions.builder().tls(TlsOptions.builder().maxCachedSessions(0).build()).build());
  }

  /**
   * An agent without a thread: the calling thread drives it with {@link #runOnce} / {@link #await}
   * and becomes its owner; no other thread may drive it.
   */
  public static Agent createDriven(AgentOptions options) {
    return new Agent(options, false);
  }

  public AgentOptions options() {
    return options;
  }

  /**
   * Issues a request. The future completes with the response, or exceptionally with an {@link
   * AgentException} whose {@link AgentException#errorClass()} says how it failed. Never both, never
   * neither (as long as the agent's loop runs).
   */
  public CompletableFuture<Response> request(Request request) {
    Exchange ex =
        new Exchange(loop, request, originName(request), requestsKeepAlive, connectionClose, null);
    enter(ex);
    return ex.future;
  }

  /**
   * Issues a request whose outcome goes to {@code callback} — {@code (response, null)} or {@code
   * (null, exception)}, exactly once — as Node's {@code http.request(options, callback)}. It is
   * called on the agent's loop (on a driven agent: inside {@link #runOnce} on the caller's thread),
   * so it must not block; it may issue further requests. On a closed agent it is called at once, on
   * the calling thread. A callback that throws a RuntimeException is logged at ERROR and the agent
   * carries on. Costs no future: the form for load loops.
   */
  public void request(Request request, BiConsumer<Response, AgentException> callback) {
    if (callback == null) {
      throw new IllegalArgumentException("callback must not be null");
    }
    enter(
        new Exchange(
            loop, request, originName(request), requestsKeepAlive, connectionClose, callback));
  }

  /**
   * Issues several requests in one step of the agent's loop, in list order — as Node code issuing
   * them synchronously in one tick: every one is queued (or given a socket) before any response is
   * handled. Issuing them one by one from another thread instead lets a fast server answer the
   * first before the next is submitted, which changes what the pool does.
   */
  public List<CompletableFuture<Response>> requestAll(List<Request> requests) {
    List<CompletableFuture<Response>> futures = new ArrayList<>(requests.size());
    Exchange first = null;
    Exchange last = null;
    for (Request r : requests) {
      Exchange ex = new Exchange(loop, r, originName(r), requestsKeepAlive, connectionClose, null);
      if (last == null) {
        first = ex;
      } else {
        last.next = ex;
      }
      last = ex;
      futures.add(ex.future);
    }
    if (first != null) {
      enter(first);
    }
    return futures;
  }

  /** Node's {@code getName}: https origins include the agent's TLS options. */
  private String originName(Request r) {
    return r.secure() ? r.secureName(tlsNameSuffix) : r.name();
  }

  /** Hands a burst of exchanges to the loop: now when on it, else as one task. */
  private void enter(Exchange first) {
    if (closed) {
      failAll(first, whyClosed());
    } else if (loop.inLoop()) {
      connections.submit(first);
    } else {
      loop.execute(() -> connections.submit(first));
      if (loop.isClosed()) {
        // raced with close(): the loop may be gone; hanging is not an option
        failAll(first, whyClosed());
      }
    }
  }

  private String whyClosed() {
    Throwable failure = loop.failure();
    return failure == null ? "agent is closed" : "agent failed: " + failure;
  }

  /** The loop failed: no request may wait for it any longer. */
  private void failed(Throwable failure) {
    closed = true;
    connections.abort(failure);
  }

  private static void failAll(Exchange first, String why) {
    for (Exchange ex = first; ex != null; ex = ex.next) {
      ex.fail(ErrorClass.CONFIG, why, null);
    }
  }

  /**
   * Sends a request and waits for its response; not on a driven agent's owner thread (use {@link
   * #await}).
   */
  public Response send(Request request) throws AgentException, InterruptedException {
    if (!loop.hasThread()) {
      return await(request(request));
    }
    if (loop.inLoop()) {
      throw new IllegalStateException("send() would block the agent's own loop; use request()");
    }
    return unwrap(request(request));
  }

  /**
   * Drives a {@link #createDriven} agent until {@code future} is complete, then returns its value.
   */
  public Response await(CompletableFuture<Response> future)
      throws AgentException, InterruptedException {
    if (!loop.hasThread()) {
      while (!future.isDone()) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        loop.runOnce(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
    return unwrap(future);
  }

  /**
   * One step of a {@link #createDriven} agent's loop, waiting at most {@code maxWaitNanos} for I/O.
   */
  public void runOnce(long maxWaitNanos) {
    loop.runOnce(maxWaitNanos);
  }

  private static Response unwrap(CompletableFuture<Response> f)
      throws AgentException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AgentException a) {
        throw a;
      }
      throw new IllegalStateException("request failed unexpectedly", e.getCause());
    }
  }

  /** A consistent snapshot of the counters and of every origin's lists. */
  public AgentStats stats() {
    return onLoop(connections::snapshot, "reading agent stats");
  }

  /**
   * Node's {@code agent.destroy()}, plus: queued and in-flight requests fail ({@code closed_early}
   * for those on a socket, {@code config} for those still queued), every socket is closed, the loop
   * stops. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      onLoop(
          () -> {
            connections.close();
            return null;
          },
          "shutting the agent down");
    } finally {
      loop.close();
    }
  }

  /**
   * Runs {@code work} on the loop and returns its result: at once on the loop, a driven loop or a
   * stopped one (the caller becomes its owner), else as a task, waited for.
   */
  private <T> T onLoop(Supplier<T> work, String what) {
    if (loop.inLoop() || !loop.hasThread() || loop.isClosed()) {
      loop.adopt();
      return work.get();
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.execute(() -> f.complete(work.get()));
    try {
      return f.get(STATS_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the agent's loop did not answer while " + what, e);
    }
  }
}
