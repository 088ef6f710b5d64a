package dev.keepalive.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Node's {@code http.Agent} pool decisions ({@code _http_agent.js}, the same on lines 20 to 26 but
 * for the pending-read check of 22+, kept here on every line): {@code addRequest}, the {@code
 * 'free'} handler and {@code removeSocket}, with no I/O of its own. The I/O layer ({@link Io})
 * opens, assigns and closes sockets when the pool says so, and reports back when a socket is free
 * ({@link #onFree}) or closed ({@link #onClose}).
 *
 * <p>Per origin name: {@code sockets} (in use), {@code freeSockets} (pooled, oldest first) and
 * {@code requests} (the wait queue, FIFO). {@code totalSocketCount} counts every open socket, free
 * ones included, as Node does since 20.
 *
 * <p>It is public so that its decisions can be benchmarked and tested without sockets; the agent
 * ({@link Connections}) is its one production user.
 *
 * <p>Thread-safety: confined to the thread of its {@link Io} (the agent's event loop); every entry
 * that changes state asserts it.
 *
 * @param <S> the socket type
 * @param <R> the request type
 */
public final class Pool<S extends Pool.Socket, R extends Pool.Waiter> {

  /** What the pool needs to know of a socket. */
  public interface Socket {
    String name();

    /** Node's {@code socket.writable}: false once closed or half-closed by the peer. */
    boolean writable();
  }

  /** What the pool needs to know of a request. */
  public interface Waiter {
    String name();

    /** A retry after a stale pooled socket: skip the free list, its siblings may be stale too. */
    default boolean wantsFreshSocket() {
      return false;
    }
  }

  /** The I/O layer: carries out the pool's decisions. */
  public interface Io<S, R> {
    /** Opens a new socket for {@code request}'s origin; the pool counts it and then assigns it. */
    S createSocket(R request);

    /** Gives {@code socket} to {@code request}; {@code reused} iff it came from the free pool. */
    void assign(S socket, R request, boolean reused);

    /**
     * Closes {@code socket} (Node's {@code socket.destroy()}); the pool removes it from its lists
     * as soon as this returns. Must not call back into the pool.
     */
    void destroy(S socket);

    /**
     * Node's {@code keepSocketAlive}: prepares a socket that is about to be pooled (idle timer,
     * {@code Keep-Alive} hint); false means it must not be pooled.
     */
    boolean keepSocketAlive(S socket);

    /**
     * Node 22+'s {@code hasPendingRead}: whether bytes wait on {@code socket} that no request asked
     * for. Such a socket is destroyed instead of being handed to a request.
     */
    default boolean hasPendingRead(S socket) {
      return false;
    }

    /** Whether the calling thread is the one the I/O layer (and so the pool) is confined to. */
    default boolean onIoThread() {
      return true;
    }
  }

  /** The three lists of one origin name. */
  static final class Origin<S, R> {
    final String name;
    final ArrayList<S> sockets = new ArrayList<>(4);
    final ArrayDeque<S> freeSockets = new ArrayDeque<>(4);
    final ArrayDeque<R> requests = new ArrayDeque<>(4);

    Origin(String name) {
      this.name = name;
    }

    boolean isEmpty() {
      return sockets.isEmpty() && freeSockets.isEmpty() && requests.isEmpty();
    }
  }

  private final AgentOptions options;
  private final Io<S, R> io;
  private final HashMap<String, Origin<S, R>> origins = new HashMap<>();

  /**
   * Origins with queued requests, in the order their queue was created (Node's object key order).
   */
  private final LinkedHashMap<String, Origin<S, R>> queued = new LinkedHashMap<>();

  private int totalSocketCount;

  public Pool(AgentOptions options, Io<S, R> io) {
    this.options = options;
    this.io = io;
  }

  /** For {@code assert}: true iff called on the thread its I/O layer runs on. */
  private boolean confined() {
    return io.onIoThread();
  }

  /** Node's {@code totalSocketCount}: every open socket, free ones included. */
  public int totalSocketCount() {
    return totalSocketCount;
  }

  Map<String, Origin<S, R>> origins() {
    return origins;
  }

  private Origin<S, R> origin(String name) {
    Origin<S, R> o = origins.get(name);
    if (o == null) {
      o = new Origin<>(name);
      origins.put(name, o);
    }
    return o;
  }

  private void forgetIfEmpty(Origin<S, R> o) {
    if (o.isEmpty()) {
      origins.remove(o.name);
    }
  }

  /** Node's {@code addRequest}: a pool hit, else a new socket within the bounds, else the queue. */
  public void addRequest(R request) {
    assert confined();
    Origin<S, R> o = origin(request.name());
    ArrayDeque<S> free = o.freeSockets;
    while (!free.isEmpty() && !free.peekFirst().writable()) {
      free.pollFirst();
    }
    S socket = null;
    boolean closedOne = false;
    if (request.wantsFreshSocket()) {
      if (!free.isEmpty()
          && !(free.size() + o.sockets.size() < options.maxSockets()
              && totalSocketCount < options.maxTotalSockets())) {
        destroy(free.peekFirst()); // make room: an idle socket to a server that drops idle ones
        closedOne = true;
      }
    } else {
      socket = takeFree(free);
      while (socket != null && io.hasPendingRead(socket)) {
        destroy(socket); // Node 22+: a poisoned free socket is dropped, the next one is tried
        closedOne = true;
        socket = takeFree(free);
      }
    }
    if (closedOne) {
      o = origin(request.name()); // the close may have forgotten the origin it left empty
    }
    if (socket != null) {
      o.sockets.add(socket);
      io.assign(socket, request, true);
    } else if (o.freeSockets.size() + o.sockets.size() < options.maxSockets()
        && totalSocketCount < options.maxTotalSockets()) {
      create(o, request);
    } else {
      if (o.requests.isEmpty()) {
        queued.put(o.name, o);
      }
      o.requests.addLast(request);
    }
  }

  /** The free socket {@code scheduling} picks (lifo: the newest, fifo: the oldest), or null. */
  private S takeFree(ArrayDeque<S> free) {
    if (free.isEmpty()) {
      return null;
    }
    return options.scheduling() == Scheduling.LIFO ? free.pollLast() : free.pollFirst();
  }

  private void create(Origin<S, R> o, R request) {
    S socket = io.createSocket(request);
    totalSocketCount++;
    o.sockets.add(socket);
    io.assign(socket, request, false);
  }

  /**
   * Removes a request that is still waiting in its origin's queue (its deadline passed, or it was
   * cancelled): it will never be sent. False if it was not queued.
   */
  public boolean removeQueued(R request) {
    assert confined();
    Origin<S, R> o = origins.get(request.name());
    if (o == null || !o.requests.remove(request)) {
      return false;
    }
    if (o.requests.isEmpty()) {
      queued.remove(o.name);
    }
    forgetIfEmpty(o);
    return true;
  }

  /**
   * Removes from the head of every origin's queue the requests {@code expired} accepts, stopping at
   * each queue's first other one: requests whose deadline has passed, taken out before a socket's
   * close hands a new socket to the queue's head (which would otherwise be a request about to time
   * out, and its socket opened only to be closed). Returns them in queue order.
   */
  public List<R> removeExpiredHeads(Predicate<R> expired) {
    assert confined();
    List<R> removed = new ArrayList<>();
    for (Iterator<Origin<S, R>> it = queued.values().iterator(); it.hasNext(); ) {
      Origin<S, R> o = it.next();
      while (!o.requests.isEmpty() && expired.test(o.requests.peekFirst())) {
        removed.add(o.requests.pollFirst());
      }
      if (o.requests.isEmpty()) {
        it.remove();
      }
    }
    if (!removed.isEmpty()) {
      origins.values().removeIf(Origin::isEmpty);
    }
    return removed;
  }

  /**
   * Node's {@code 'free'} handler: the socket finished a request (body consumed, request fully
   * written) and both the request and the response allowed keep-alive (otherwise Node destroys the
   * socket without a {@code 'free'}). It serves its origin's queue first (even without keepAlive;
   * not a "reuse"), else is pooled if allowed, else destroyed.
   */
  public void onFree(S socket) {
    assert confined();
    Origin<S, R> o = origins.get(socket.name());
    if (!socket.writable()) {
      destroy(socket);
      return;
    }
    if (!o.requests.isEmpty() && io.hasPendingRead(socket)) {
      destroy(socket); // its close opens a new socket for the queue's head
      return;
    }
    R next = o.requests.pollFirst();
    if (next != null) {
      if (o.requests.isEmpty()) {
        queued.remove(o.name);
      }
      io.assign(socket, next, false);
      return;
    }
    if (!options.keepAlive()) {
      destroy(socket);
      return;
    }
    int freeLen = o.freeSockets.size();
    int count = freeLen + o.sockets.size();
    if (totalSocketCount > options.maxTotalSockets()
        || count > options.maxSockets()
        || freeLen >= options.maxFreeSockets()
        || !io.keepSocketAlive(socket)) {
      destroy(socket);
      return;
    }
    o.sockets.remove(socket);
    serveQueue(o);
    o.freeSockets.addLast(socket);
  }

  /** Closes a socket the pool decided to drop, then removes it as its {@code 'close'} would. */
  private void destroy(S socket) {
    io.destroy(socket);
    onClose(socket);
  }

  /**
   * Node's {@code 'close'} listener: uncount the socket and let a waiting request have a new one.
   * The I/O layer calls it for a socket that closed by itself (peer, error, timeout), once.
   */
  public void onClose(S socket) {
    assert confined();
    totalSocketCount--;
    Origin<S, R> o = origins.get(socket.name());
    o.sockets.remove(socket);
    o.freeSockets.remove(socket);
    serveQueue(o);
    forgetIfEmpty(o);
  }

  /**
   * The tail of Node's {@code removeSocket}: a socket left {@code self}'s in-use list, so a queued
   * request may get a new socket — from {@code self}'s queue, else from the first origin that has a
   * queue if, and only if, that origin has no socket in use (Node looks at the first key only). No
   * bound is checked here: this is Node's transient overshoot of {@code maxTotalSockets}.
   */
  private void serveQueue(Origin<S, R> self) {
    Origin<S, R> target = null;
    if (!self.requests.isEmpty()) {
      target = self;
    } else if (!queued.isEmpty()) {
      Iterator<Origin<S, R>> it = queued.values().iterator();
      Origin<S, R> first = it.next();
      if (first.sockets.isEmpty()) {
        target = first;
      }
    }
    if (target == null) {
      return;
    }
    R head = target.requests.pollFirst();
    if (target.requests.isEmpty()) {
      queued.remove(target.name);
    }
    create(target, head);
  }

  /** Every socket, in use and free, for {@link Connections#close()}. */
  ArrayList<S> allSockets() {
    ArrayList<S> all = new ArrayList<>();
    for (Origin<S, R> o : origins.values()) {
      all.addAll(o.sockets);
      all.addAll(o.freeSockets);
    }
    return all;
  }

  /** Every queued request, removed from the queues, for {@link Connections#close()}. */
  ArrayList<R> drainQueued() {
    assert confined();
    ArrayList<R> all = new ArrayList<>();
    for (Origin<S, R> o : origins.values()) {
      all.addAll(o.requests);
      o.requests.clear();
    }
    queued.clear();
    origins.values().removeIf(Origin::isEmpty);
    return all;
  }
}
