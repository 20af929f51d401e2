package io.rpcenv;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The address of one endpoint: its env's {@link RpcAddress} plus its name. Printed as {@code
 * spark://name@host:port}, or {@code spark-client://name} for an endpoint of a client-mode env,
 * which has no listen address and cannot be looked up.
 *
 * @param address the env's listen address, or null for a client-mode env
 * @param name the endpoint name, never null
 */
public record RpcEndpointAddress(@Nullable RpcAddress address, String name)
    implements Serializable {

  /** Requires a name. */
  public RpcEndpointAddress {
    if (name == null) {
      throw new IllegalArgumentException("RpcEndpoint name must be provided.");
    }
  }

  /** Shorthand for {@code new RpcEndpointAddress(new RpcAddress(host, port), name)}. */
  public RpcEndpointAddress(String host, int port, String name) {
    this(new RpcAddress(host, port), name);
  }

  /**
   * Parses {@code spark://name@host:port}. Rejects any other form, including {@code
   * spark-client://} URLs, with an {@link IllegalArgumentException} that quotes the URL.
   */
  public static RpcEndpointAddress parse(String sparkUrl) {
    Objects.requireNonNull(sparkUrl, "sparkUrl");
    URI uri;
    try {
      uri = new URI(sparkUrl);
    } catch (URISyntaxException e) {
      throw invalid(sparkUrl, e);
    }
    if (!"spark".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getPort() < 0
        || uri.getUserInfo() == null
        || uri.getUserInfo().isEmpty()
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw invalid(sparkUrl, null);
    }
    return new RpcEndpointAddress(new RpcAddress(uri.getHost(), uri.getPort()), uri.getUserInfo());
  }

  private static IllegalArgumentException invalid(String url, Throwable cause) {
    return new IllegalArgumentException(
        "Invalid Spark URL: " + url + " (expected spark://name@host:port)", cause);
  }

  @Override
  public String toString() {
    return address == null
        ? "spark-client://" + name
        : "spark://" + name + "@" + address.hostPort();
  }
}
