package dev.keepalive.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Immutable TLS configuration of an agent for {@code https:} URLs, with the names and defaults of
 * Node's {@code https.Agent} options: {@code ca}, {@code rejectUnauthorized}, {@code servername},
 * {@code minVersion}/{@code maxVersion} and {@code maxCachedSessions}. Built by {@link #builder()};
 * {@link Builder#build()} validates and names the offending option.
 *
 * <p>Thread-safety: immutable.
 */
public final class TlsOptions {

  /** The versions this agent speaks, Node's names. */
  public static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  private final List<X509Certificate> ca;
  private final boolean rejectUnauthorized;
  private final String servername;
  private final String minVersion;
  private final String maxVersion;
  private final int maxCachedSessions;

  private TlsOptions(Builder b) {
    this.ca = List.copyOf(b.ca);
    this.rejectUnauthorized = b.rejectUnauthorized;
    this.servername = b.servername;
    this.minVersion = b.minVersion;
    this.maxVersion = b.maxVersion;
    this.maxCachedSessions = b.maxCachedSessions;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration, to derive a variant (e.g. the same with a {@code ca}).
   */
  public Builder toBuilder() {
    return new Builder()
        .ca(ca)
        .rejectUnauthorized(rejectUnauthorized)
        .servername(servername)
        .minVersion(minVersion)
        .maxVersion(maxVersion)
        .maxCachedSessions(maxCachedSessions);
  }

  /** Node's defaults: the platform's trusted roots, verify the peer, TLS 1.2–1.3, 100 sessions. */
  public static TlsOptions defaults() {
    return builder().build();
  }

  /**
   * Certificates to trust instead of the platform's roots (Node's {@code ca}); empty (default) =
   * the JDK's default trust store.
   */
  public List<X509Certificate> ca() {
    return ca;
  }

  /**
   * Verify the server's certificate chain and that it names the host (default true). False is
   * {@code --insecure}: any certificate is accepted. An unverifiable certificate fails the request
   * with {@link ErrorClass#TLS} and a message that says why.
   */
  public boolean rejectUnauthorized() {
    return rejectUnauthorized;
  }

  /**
   * The SNI name to send, or null (default): the URL's host when it is a name, none for an IP
   * literal (as Node). The certificate is checked against the URL's host either way.
   */
  public String servername() {
    return servername;
  }

  /** Lowest TLS version offered: {@code TLSv1.2} (default, as Node) or {@code TLSv1.3}. */
  public String minVersion() {
    return minVersion;
  }

  /** Highest TLS version offered: {@code TLSv1.3} (default) or {@code TLSv1.2}. */
  public String maxVersion() {
    return maxVersion;
  }

  /**
   * TLS sessions kept for resumption (Node's {@code maxCachedSessions}, default 100), per agent: a
   * new connection to an origin seen before resumes its session (an abbreviated handshake), even
   * with {@code keepAlive} false. 0 disables resumption (every handshake is full).
   */
  public int maxCachedSessions() {
    return maxCachedSessions;
  }

  /** The TLS part of the origin key, as Node's {@code https.Agent.getName} appends it. */
  String nameSuffix() {
    return (ca.isEmpty() ? "" : "ca" + ca.hashCode())
        + ":"
        + (servername == null ? "" : servername)
        + ":"
        + rejectUnauthorized
        + ":"
        + minVersion
        + ":"
        + maxVersion;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsOptions t
        && ca.equals(t.ca)
        && rejectUnauthorized == t.rejectUnauthorized
        && java.util.Objects.equals(servername, t.servername)
        && minVersion.equals(t.minVersion)
        && maxVersion.equals(t.maxVersion)
        && maxCachedSessions == t.maxCachedSessions;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        ca, rejectUnauthorized, servername, minVersion, maxVersion, maxCachedSessions);
  }

  @Override
  public String toString() {
    return "ca="
        + (ca.isEmpty() ? "default" : ca.size() + " cert(s)")
        + " rejectUnauthorized="
        + rejectUnauthorized
        + (servername == null ? "" : " servername=" + servername)
        + " minVersion="
        + minVersion
        + " maxVersion="
        + maxVersion
        + " maxCachedSessions="
        + maxCachedSessions;
  }

  /** Reads every certificate of a PEM (or DER) file, as Node's {@code ca: fs.readFileSync(f)}. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certs = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
      if (certs.isEmpty()) {
        throw new IOException("no certificate in " + file);
      }
      return certs;
    } catch (CertificateException e) {
      throw new IOException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private List<X509Certificate> ca = List.of();
    private boolean rejectUnauthorized = true;
    private String servername;
    private String minVersion = "TLSv1.2";
    private String maxVersion = "TLSv1.3";
    private int maxCachedSessions = 100;

    private Builder() {}

    public Builder ca(List<X509Certificate> ca) {
      this.ca = ca == null ? List.of() : ca;
      return this;
    }

    public Builder rejectUnauthorized(boolean rejectUnauthorized) {
      this.rejectUnauthorized = rejectUnauthorized;
      return this;
    }

    public Builder servername(String servername) {
      this.servername = servername;
      return this;
    }

    public Builder minVersion(String minVersion) {
      this.minVersion = minVersion;
      return this;
    }

    public Builder maxVersion(String maxVersion) {
      this.maxVersion = maxVersion;
      return this;
    }

    public Builder maxCachedSessions(int maxCachedSessions) {
      this.maxCachedSessions = maxCachedSessions;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option, the allowed values and the value
     */
    public TlsOptions build() {
      version("minVersion", minVersion);
      version("maxVersion", maxVersion);
      if (VERSIONS.indexOf(minVersion) > VERSIONS.indexOf(maxVersion)) {
        throw new IllegalArgumentException(
            "minVersion must not be above maxVersion, was " + minVersion + " > " + maxVersion);
      }
      if (maxCachedSessions < 0) {
        throw new IllegalArgumentException(
            "maxCachedSessions must be >= 0 (0 = no resumption), was " + maxCachedSessions);
      }
      if (servername != null
          && (servername.isEmpty()
              || !servername.toLowerCase(Locale.ROOT).matches("[a-z0-9.-]+")
              || servername.matches("[0-9.]+"))) {
        throw new IllegalArgumentException(
            "servername must be a DNS host name (no IP literal), was '" + servername + "'");
      }
      return new TlsOptions(this);
    }

    private static void version(String name, String value) {
      if (!VERSIONS.contains(value)) {
        throw new IllegalArgumentException(
            name + " must be one of " + String.join(", ", VERSIONS) + ", was '" + value + "'");
      }
    }
  }
}
