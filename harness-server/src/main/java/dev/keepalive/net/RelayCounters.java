package dev.keepalive.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * The relay's live counters. Thread-safety: the one state shared by the loops; adders, written by
 * any loop and read by any thread. A snapshot taken while the loops run is not atomic across
 * counters.
 */
final class RelayCounters {
  final LongAdder connectionsAccepted = new LongAdder();
  final LongAdder connectionsOpen = new LongAdder();
  final LongAdder upstreamFailures = new LongAdder();
  final LongAdder bytesToServer = new LongAdder();
  final LongAdder bytesToClient = new LongAdder();
  final LongAdder idleFin = new LongAdder();
  final LongAdder idleRst = new LongAdder();
  final LongAdder idleSilent = new LongAdder();
  final LongAdder forgottenFlowResets = new LongAdder();

  void idleClosed(IdleClose kind) {
    switch (kind) {
      case FIN -> idleFin.increment();
      case RST -> idleRst.increment();
      case SILENT -> idleSilent.increment();
    }
  }

  RelayStats snapshot() {
    return new RelayStats(
        connectionsAccepted.sum(),
        connectionsOpen.sum(),
        upstreamFailures.sum(),
        bytesToServer.sum(),
        bytesToClient.sum(),
        new RelayStats.IdleCloses(idleFin.sum(), idleRst.sum(), idleSilent.sum()),
        forgottenFlowResets.sum());
  }

  /** Starts a new counting period; {@code connectionsOpen} stays a live gauge. */
  void reset() {
    connectionsAccepted.reset();
    upstreamFailures.reset();
    bytesToServer.reset();
    bytesToClient.reset();
    idleFin.reset();
    idleRst.reset();
    idleSilent.reset();
    forgottenFlowResets.reset();
  }
}
