package dev.keepalive.bench;

/**
 * The main of the relay's own JVM as {@link NetworkPath} starts it: the standalone relay ({@code
 * dev.keepalive.net.RelayMain}) that exits when the benchmark JVM that started it is gone, even one
 * killed without running its shutdown hooks ({@link ChildProcesses#exitWithParent}), as {@link
 * ServerChild} does for the server. The parent's pid comes as {@code -D}{@value
 * ServerChild#PARENT_PID}.
 */
public final class RelayChild {

  private RelayChild() {}

  public static void main(String[] args) {
    String parent = System.getProperty(ServerChild.PARENT_PID);
    if (parent != null) {
      ChildProcesses.exitWithParent(Long.parseLong(parent));
    }
    dev.keepalive.net.RelayMain.main(args);
  }
}
