package dev.keepalive.net;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The delays of the simulated path (see {@link RelayOptions} for the model): one-way delay, jitter,
 * serialisation time at the bandwidth, the handshake.
 *
 * <p>Thread-safety: confined to one loop (its random generator is not shared).
 */
final class PathModel {
  final long rttNanos;
  private final long oneWayNanos;
  private final long jitterNanos;
  private final double nanosPerByte;
  private final SplittableRandom random = new SplittableRandom();

  PathModel(RelayOptions o) {
    rttNanos = TimeUnit.MILLISECONDS.toNanos(o.rttMillis());
    oneWayNanos = rttNanos / 2;
    jitterNanos = TimeUnit.MILLISECONDS.toNanos(o.jitterMillis());
    double bitsPerNano = o.bandwidthMbitPerSecond() * 1e6 / 1e9;
    nanosPerByte = o.bandwidthMbitPerSecond() == 0 ? 0 : 8 / bitsPerNano;
  }

  /** One direction's propagation delay for one chunk: rtt/2 plus jitter. */
  long oneWayNanos() {
    return jitterNanos == 0 ? oneWayNanos : oneWayNanos + random.nextLong(jitterNanos + 1);
  }

  /** Time to put {@code bytes} on the link; 0 when the bandwidth is unlimited. */
  long serialisationNanos(int bytes) {
    return nanosPerByte == 0 ? 0 : (long) Math.ceil(bytes * nanosPerByte);
  }
}
