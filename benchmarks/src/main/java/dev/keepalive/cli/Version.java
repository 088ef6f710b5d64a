package dev.keepalive.cli;

import dev.keepalive.server.BuildVersion;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints for every command of {@code benchmarks.jar}: the project version
 * and the commit this module was built from, as the build wrote them into {@code build.properties}
 * next to this class ("unknown commit" for a build without git).
 */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      BuildVersion.describe(BuildVersion.read(Version.class, "build.properties"))
    };
  }
}
