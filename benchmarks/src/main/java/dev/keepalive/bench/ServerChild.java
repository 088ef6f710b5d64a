package dev.keepalive.bench;

/**
 * The main of the harness server's own JVM as {@link TargetServer} starts it: the standalone server
 * ({@code dev.keepalive.server.Main}) that exits when the benchmark JVM that started it is gone,
 * even one killed without running its shutdown hooks ({@link ChildProcesses#exitWithParent}). The
 * parent's pid comes as {@code -D}{@value #PARENT_PID}.
 */
public final class ServerChild {

  /** The system property that names the pid of the JVM that started this one. */
  public static final String PARENT_PID = "keepalive.parentPid";

  private ServerChild() {}

  public static void main(String[] args) {
    String parent = System.getProperty(PARENT_PID);
    if (parent != null) {
      ChildProcesses.exitWithParent(Long.parseLong(parent));
    }
    dev.keepalive.server.Main.main(args);
  }
}
