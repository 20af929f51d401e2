package io.rpcenv;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A host and port where an env listens. Equality is on the host string and port, with no DNS
 * resolution: {@code localhost:7077} and {@code 127.0.0.1:7077} are different addresses. IPv6
 * literals are normalized to bracketed RFC 5952 form ({@code ::1} and {@code ::0:1} become {@code
 * [::1]}).
 *
 * @param host host name or literal address, never empty
 * @param port port, 0 to 65535
 */
public record RpcAddress(String host, int port) implements Serializable {

  /** Validates and normalizes; throws {@link IllegalArgumentException} naming the bad value. */
  public RpcAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty (port " + port + ")");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "port must be between 0 and 65535: " + port + " (host " + host + ")");
    }
    host = Ipv6Literals.normalize(host);
  }

  /** {@code host:port}, e.g. {@code 10.0.0.1:7077} or {@code [::1]:7077}. */
  public String hostPort() {
    return host + ":" + port;
  }

  /** {@code spark://host:port}. */
  public String toSparkURL() {
    return "spark://" + hostPort();
  }

  /**
   * Parses {@code spark://host:port}. Anything else (another scheme, a missing host or port, a
   * path, query, fragment or user part) is rejected with an {@link IllegalArgumentException} that
   * quotes the URL.
   */
  public static RpcAddress fromSparkURL(String sparkUrl) {
    Objects.requireNonNull(sparkUrl, "sparkUrl");
    URI uri;
    try {
      uri = new URI(sparkUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid Spark URL: " + sparkUrl + " (expected spark://host:port)", e);
    }
    if (!"spark".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getPort() < 0
        || uri.getUserInfo() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "Invalid Spark URL: " + sparkUrl + " (expected spark://host:port)");
    }
    return new RpcAddress(uri.getHost(), uri.getPort());
  }

  @Override
  public String toString() {
    return hostPort();
  }
}
