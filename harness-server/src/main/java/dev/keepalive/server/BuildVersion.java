package dev.keepalive.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: {@code keepalive-bench VERSION, commit COMMIT}, read from the
 * {@code build.properties} the build writes next to this class (the build-info execution in the
 * parent pom). A build without git (from a tarball) has an empty commit: "unknown commit".
 */
public final class BuildVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {describe(read(BuildVersion.class, "build.properties"))};
  }

  /** The properties in {@code resource} next to {@code anchor}; empty when there is none. */
  public static Properties read(Class<?> anchor, String resource) {
    Properties p = new Properties();
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** One line from the build's {@code version} and {@code commit}. */
  public static String describe(Properties build) {
    String version = build.getProperty("version", "").strip();
    String commit = build.getProperty("commit", "").strip();
    return "keepalive-bench "
        + (version.isEmpty() ? "(unknown version)" : version)
        + ", "
        + (commit.isEmpty() ? "unknown commit" : "commit " + commit);
  }
}
