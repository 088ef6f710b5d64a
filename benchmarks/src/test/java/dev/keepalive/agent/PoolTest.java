package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node's pool decisions, without sockets: what the pool asks the I/O layer to do. */
class PoolTest {

  static final class Sock implements Pool.Socket {
    final String name;
    final int id;
    boolean writable = true;
    boolean pendingRead;

    Sock(String name, int id) {
      this.name = name;
      this.id = id;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public String toString() {
      return name + "#" + id;
    }
  }

  record Req(String name, int id) implements Pool.Waiter {}

  /** Records every decision; the pool removes a socket it destroys by itself. */
  static final class Recorder implements Pool.Io<Sock, Req> {
    Pool<Sock, Req> pool;
    final List<String> log = new ArrayList<>();
    final List<Sock> created = new ArrayList<>();
    boolean keepAlive = true;

    @Override
    public Sock createSocket(Req r) {
      Sock s = new Sock(r.name(), created.size());
      created.add(s);
      log.add("create " + s);
      return s;
    }

    @Override
    public void assign(Sock s, Req r, boolean reused) {
      log.add((reused ? "reuse " : "assign ") + s + " to " + r.id());
    }

    @Override
    public void destroy(Sock s) {
      s.writable = false;
      log.add("destroy " + s);
    }

    @Override
    public boolean keepSocketAlive(Sock s) {
      return keepAlive;
    }

    @Override
    public boolean hasPendingRead(Sock s) {
      return s.pendingRead;
    }
  }

  static Recorder pool(AgentOptions.Builder options) {
    Recorder io = new Recorder();
    io.pool = new Pool<>(options.build(), io);
    return io;
  }

  @Test
  void createsUpToMaxSocketsThenQueuesAndHandsFreedSocketsToTheQueue() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxSockets(2));
    for (int i = 0; i < 4; i++) {
      io.pool.addRequest(new Req("a", i));
    }
    assertEquals(List.of("create a#0", "assign a#0 to 0", "create a#1", "assign a#1 to 1"), io.log);
    io.log.clear();
    io.pool.onFree(io.created.get(1));
    io.pool.onFree(io.created.get(0));
    assertEquals(
        List.of("assign a#1 to 2", "assign a#0 to 3"), io.log, "queue hand-offs are not reuses");
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    io.pool.onFree(io.created.get(1));
    assertTrue(io.log.isEmpty(), "both pooled: " + io.log);
    assertEquals(2, io.pool.origins().get("a").freeSockets.size());
  }

  @Test
  void lifoTakesTheMostRecentlyFreedAndFifoTheLeast() {
    for (Scheduling sch : Scheduling.values()) {
      Recorder io = pool(AgentOptions.builder().keepAlive(true).scheduling(sch));
      io.pool.addRequest(new Req("a", 0));
      io.pool.addRequest(new Req("a", 1));
      io.pool.onFree(io.created.get(0));
      io.pool.onFree(io.created.get(1));
      io.log.clear();
      io.pool.addRequest(new Req("a", 2));
      assertEquals(
          List.of("reuse a#" + (sch == Scheduling.LIFO ? 1 : 0) + " to 2"), io.log, sch.name());
    }
  }

  @Test
  void withoutKeepAliveAFreedSocketServesTheQueueThenIsDestroyed() {
    Recorder io = pool(AgentOptions.builder().maxSockets(1));
    io.pool.addRequest(new Req("a", 0));
    io.pool.addRequest(new Req("a", 1));
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    io.pool.onFree(io.created.get(0));
    assertEquals(List.of("assign a#0 to 1", "destroy a#0"), io.log);
    assertEquals(0, io.pool.totalSocketCount());
    assertFalse(io.pool.origins().containsKey("a"), "empty origins are forgotten");
  }

  @Test
  void maxFreeSocketsDestroysTheSurplus() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxFreeSockets(1));
    io.pool.addRequest(new Req("a", 0));
    io.pool.addRequest(new Req("a", 1));
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    io.pool.onFree(io.created.get(1));
    assertEquals(List.of("destroy a#1"), io.log);
  }

  @Test
  void keepSocketAliveFalseDestroys() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true));
    io.keepAlive = false;
    io.pool.addRequest(new Req("a", 0));
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    assertEquals(List.of("destroy a#0"), io.log);
  }

  @Test
  void idleSocketsCountTowardMaxTotalAndAQueuedOriginWaitsForAClose() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxTotalSockets(2));
    io.pool.addRequest(new Req("a", 0));
    io.pool.addRequest(new Req("a", 1));
    io.pool.onFree(io.created.get(0));
    io.pool.onFree(io.created.get(1));
    io.log.clear();
    io.pool.addRequest(new Req("b", 2));
    assertTrue(io.log.isEmpty(), "queued behind idle sockets: " + io.log);
    io.pool.onClose(closed(io.created.get(0)));
    assertEquals(List.of("create b#2", "assign b#2 to 2"), io.log);
  }

  @Test
  void poolingASocketOpensOneForTheFirstQueuedOriginWithoutALimitCheck() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxTotalSockets(2));
    io.pool.addRequest(new Req("a", 0));
    io.pool.addRequest(new Req("a", 1));
    io.pool.addRequest(new Req("b", 2));
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    assertEquals(List.of("create b#2", "assign b#2 to 2"), io.log, "Node's transient overshoot");
    assertEquals(3, io.pool.totalSocketCount());
    io.log.clear();
    io.pool.onFree(io.created.get(2));
    assertEquals(List.of("destroy b#2"), io.log, "over the total: closed, not pooled");
  }

  @Test
  void onlyTheFirstQueuedOriginIsConsidered() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxTotalSockets(2));
    io.pool.addRequest(new Req("a", 0));
    io.pool.addRequest(new Req("b", 1));
    io.pool.addRequest(new Req("b", 2)); // b queued first
    io.pool.addRequest(new Req("c", 3)); // c queued second
    io.log.clear();
    io.pool.onFree(io.created.get(0)); // pools a#0: the first queued origin, b, has a socket in use
    assertTrue(io.log.isEmpty(), "c is not considered: " + io.log);
    assertTrue(io.pool.origins().get("c").sockets.isEmpty());
    assertEquals(1, io.pool.origins().get("c").requests.size());
  }

  @Test
  void destroyedFreeSocketsAtTheHeadAreSkipped() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).scheduling(Scheduling.FIFO));
    io.pool.addRequest(new Req("a", 0));
    io.pool.addRequest(new Req("a", 1));
    io.pool.onFree(io.created.get(0));
    io.pool.onFree(io.created.get(1));
    io.created.get(0).writable = false; // closing, 'close' not yet delivered
    io.log.clear();
    io.pool.addRequest(new Req("a", 2));
    assertEquals(List.of("reuse a#1 to 2"), io.log);
  }

  @Test
  void removedQueuedRequestsAreNeverServed() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxSockets(1));
    io.pool.addRequest(new Req("a", 0));
    Req waiting = new Req("a", 1);
    io.pool.addRequest(waiting);
    assertTrue(io.pool.removeQueued(waiting));
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    assertTrue(io.log.isEmpty(), "pooled, nothing served: " + io.log);
    assertEquals(1, io.created.size(), "only one socket ever created");
  }

  private static Sock closed(Sock s) {
    s.writable = false;
    return s;
  }

  @Test
  void aFreeSocketWithPendingBytesIsDestroyedAndTheNextOneTaken() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true));
    for (int i = 0; i < 3; i++) {
      io.pool.addRequest(new Req("a", i));
    }
    for (int i = 0; i < 3; i++) {
      io.pool.onFree(io.created.get(i));
    }
    io.created.get(2).pendingRead = true;
    io.created.get(1).pendingRead = true;
    io.log.clear();
    io.pool.addRequest(new Req("a", 3));
    assertEquals(List.of("destroy a#2", "destroy a#1", "reuse a#0 to 3"), io.log);
    assertEquals(1, io.pool.totalSocketCount());
  }

  @Test
  void whenEveryFreeSocketHasPendingBytesANewOneIsOpened() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxSockets(1));
    io.pool.addRequest(new Req("a", 0));
    io.pool.onFree(io.created.get(0));
    io.created.get(0).pendingRead = true;
    io.log.clear();
    io.pool.addRequest(new Req("a", 1));
    assertEquals(List.of("destroy a#0", "create a#1", "assign a#1 to 1"), io.log);
    assertEquals(1, io.pool.origins().get("a").sockets.size(), "the origin survives its close");
  }

  @Test
  void aFreedSocketWithPendingBytesIsNotHandedToTheQueueWhichGetsANewSocket() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true).maxSockets(1));
    io.pool.addRequest(new Req("a", 0));
    io.pool.addRequest(new Req("a", 1));
    io.created.get(0).pendingRead = true;
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    assertEquals(List.of("destroy a#0", "create a#1", "assign a#1 to 1"), io.log);
  }

  @Test
  void pendingBytesAreOnlyLookedForWhenASocketIsHandedOut() {
    Recorder io = pool(AgentOptions.builder().keepAlive(true));
    io.pool.addRequest(new Req("a", 0));
    io.created.get(0).pendingRead = true;
    io.log.clear();
    io.pool.onFree(io.created.get(0));
    assertTrue(io.log.isEmpty(), "pooled; the loop's read of the bytes closes it: " + io.log);
  }
}
