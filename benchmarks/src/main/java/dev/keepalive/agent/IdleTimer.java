package dev.keepalive.agent;

/**
 * A pooled connection's idle timer (the agent {@code timeout}, shortened by the server's hint): it
 * runs {@code onIdle} after a delay unless cancelled first. One per connection, re-armed each time
 * the connection is pooled; arming allocates one loop timer, nothing else.
 *
 * <p>Thread-safety: confined to the agent's event loop, like its connection.
 */
final class IdleTimer {

  private final EventLoop loop;
  private final Runnable onIdle;
  private final Runnable fire = this::fire;
  private EventLoop.Timer timer;

  IdleTimer(EventLoop loop, Runnable onIdle) {
    this.loop = loop;
    this.onIdle = onIdle;
  }

  /** Runs {@code onIdle} after {@code delayNanos}, replacing any earlier arming. */
  void arm(long delayNanos) {
    assert loop.inLoop();
    cancel();
    timer = loop.schedule(delayNanos, fire);
  }

  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void fire() {
    timer = null;
    onIdle.run();
  }
}
