package io.rpcenv;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to create an {@link RpcEnv}. Use {@link #builder(String)} for readable code:
 *
 * <pre>{@code
 * RpcEnv env = RpcEnv.create(RpcEnvConfig.builder("driver").bindAddress("0.0.0.0")
 *     .advertiseAddress("driver.example.com").port(7077).build());
 * }</pre>
 *
 * @param conf settings; the env takes a copy
 * @param name a name for logs, thread names and errors; not part of any address
 * @param bindAddress the local address to listen on (server mode)
 * @param advertiseAddress the host that peers use to reach this env; its port is the bound port
 * @param port the port to listen on; 0 picks a free one
 * @param securityManager authentication and encryption settings
 * @param numUsableCores cores to size thread pools by; 0 means all available processors
 * @param clientMode true for an env with no listening socket, which only makes outbound connections
 */
public record RpcEnvConfig(
    RpcConf conf,
    String name,
    String bindAddress,
    String advertiseAddress,
    int port,
    @Nullable RpcSecurityManager securityManager,
    int numUsableCores,
    boolean clientMode) {

  /** Checks the values; messages name the field and the value. */
  public RpcEnvConfig {
    Objects.requireNonNull(name, "name");
    conf = conf == null ? new RpcConf() : conf;
    securityManager = securityManager == null ? RpcSecurityManager.fromConf(conf) : securityManager;
    if (numUsableCores < 0) {
      throw new IllegalArgumentException("numUsableCores must not be negative: " + numUsableCores);
    }
    if (!clientMode) {
      Objects.requireNonNull(bindAddress, "bindAddress");
      advertiseAddress = advertiseAddress == null ? bindAddress : advertiseAddress;
      if (port != 0 && (port < 1024 || port > 65535)) {
        throw new IllegalArgumentException(
            "port should be between 1024 and 65535 (inclusive), or 0 for a random "
                + "free port: "
                + port
                + " (RpcEnv '"
                + name
                + "')");
      }
    }
  }

  /**
   * A builder for an env called {@code name}: server mode on 127.0.0.1, a free port, default conf.
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds an {@link RpcEnvConfig}; every setter returns the builder. */
  public static final class Builder {
    private final String name;
    private RpcConf conf = new RpcConf();
    private String bindAddress = "127.0.0.1";
    private String advertiseAddress;
    private int port;
    private RpcSecurityManager securityManager;
    private int numUsableCores;
    private boolean clientMode;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Settings; default: empty. */
    public Builder conf(RpcConf conf) {
      this.conf = Objects.requireNonNull(conf, "conf");
      return this;
    }

    /** Where to listen; default {@code 127.0.0.1}. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** The host peers should use; default: the bind address. */
    public Builder advertiseAddress(String advertiseAddress) {
      this.advertiseAddress = advertiseAddress;
      return this;
    }

    /** The port; default 0, a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Security settings; default: read from the conf. */
    public Builder securityManager(@Nullable RpcSecurityManager securityManager) {
      this.securityManager = securityManager;
      return this;
    }

    /** Cores to size thread pools by; default 0, all available processors. */
    public Builder numUsableCores(int numUsableCores) {
      this.numUsableCores = numUsableCores;
      return this;
    }

    /** Client mode: no listening socket. Default false. */
    public Builder clientMode(boolean clientMode) {
      this.clientMode = clientMode;
      return this;
    }

    /** The config. */
    public RpcEnvConfig build() {
      return new RpcEnvConfig(
          conf,
          name,
          bindAddress,
          advertiseAddress,
          port,
          securityManager,
          numUsableCores,
          clientMode);
    }
  }
}
