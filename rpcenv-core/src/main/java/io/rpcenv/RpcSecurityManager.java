package io.rpcenv;

/**
 * The security settings of an env: whether connections must authenticate and whether they are
 * encrypted. Build one from a conf with {@link #fromConf}; {@link #none()} turns both off.
 */
public final class RpcSecurityManager {
  private static final RpcSecurityManager NONE = new RpcSecurityManager(false, false);

  private final boolean authenticationEnabled;
  private final boolean tlsEnabled;

  private RpcSecurityManager(boolean authenticationEnabled, boolean tlsEnabled) {
    this.authenticationEnabled = authenticationEnabled;
    this.tlsEnabled = tlsEnabled;
  }

  /** No authentication and no encryption: anyone who can reach the port can send messages. */
  public static RpcSecurityManager none() {
    return NONE;
  }

  /** Reads {@code spark.authenticate} and {@code spark.ssl.rpc.enabled} from {@code conf}. */
  public static RpcSecurityManager fromConf(RpcConf conf) {
    boolean auth = conf.get(RpcConfigKeys.AUTHENTICATE);
    boolean tls = conf.get(RpcConfigKeys.SSL_RPC_ENABLED);
    return auth || tls ? new RpcSecurityManager(auth, tls) : NONE;
  }

  /** Whether every connection must authenticate with the shared secret. */
  public boolean isAuthenticationEnabled() {
    return authenticationEnabled;
  }

  /** Whether connections are encrypted with TLS. */
  public boolean isTlsEnabled() {
    return tlsEnabled;
  }

  @Override
  public String toString() {
    return "RpcSecurityManager[authentication=" + authenticationEnabled + ", tls=" + tlsEnabled + "]";
  }
}
