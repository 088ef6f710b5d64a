package dev.keepalive.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** {@code relay}: the relay, standalone. */
public final class RelayCommand {

  /** The class whose {@code main} runs this command in a JVM of its own. */
  public static final String MAIN_CLASS = "dev.keepalive.net.RelayMain";

  /** The flags that ask for {@code o}: how another process starts a relay like it. */
  public static List<String> argsFor(RelayOptions o) {
    List<String> args = new ArrayList<>();
    for (InetSocketAddress t : o.targets()) {
      args.add("--to");
      args.add(t.getHostString() + ":" + t.getPort());
    }
    args.addAll(
        List.of(
            "--host",
            o.host(),
            "--port",
            String.valueOf(o.port()),
            "--rtt-ms",
            String.valueOf(o.rttMillis()),
            "--jitter-ms",
            String.valueOf(o.jitterMillis()),
            "--bandwidth-mbit",
            String.valueOf(o.bandwidthMbitPerSecond()),
            "--idle-close-ms",
            String.valueOf(o.idleCloseMillis()),
            "--idle-close",
            o.idleClose().flagName(),
            "--io-threads",
            String.valueOf(o.ioThreads()),
            "--control-port",
            String.valueOf(o.controlPort())));
    return args;
  }
}
