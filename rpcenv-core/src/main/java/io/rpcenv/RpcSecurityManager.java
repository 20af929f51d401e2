package io.rpcenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security settings of an env: shared-secret authentication and TLS. Both are off by default;
 * with both off, anyone who can reach the port can send messages (see the README's Security
 * section). Build one from a conf with {@link #fromConf}, or with {@link #builder()}.
 *
 * <p>The secret is never exposed: the env only gets a key derived from it.
 */
public final class RpcSecurityManager {
  /** The environment variable that may hold the shared secret (Spark's name). */
  public static final String SECRET_ENV = "_SPARK_AUTH_SECRET";

  /**
   * Secrets shorter than this many characters draw a warning: even random ones carry well under 128
   * bits, few enough to guess offline from a recorded handshake.
   */
  public static final int MIN_SECRET_LENGTH = 16;

  private static final Logger LOG = LoggerFactory.getLogger(RpcSecurityManager.class);

  private static final RpcSecurityManager NONE = new RpcSecurityManager(null, null);

  private final byte[] authKey;
  private final TlsSettings tls;

  private RpcSecurityManager(byte[] authKey, TlsSettings tls) {
    this.authKey = authKey;
    this.tls = tls;
  }

  /** No authentication and no encryption. */
  public static RpcSecurityManager none() {
    return NONE;
  }

  /**
   * Reads {@code spark.authenticate} and the secret ({@code spark.authenticate.secret}, else {@code
   * spark.authenticate.secret.file}, else the {@value #SECRET_ENV} environment variable), and
   * {@code spark.ssl.rpc.*}. Throws {@link IllegalArgumentException} naming the setting when
   * something required is missing: a secret, or (with TLS) a trust store.
   */
  public static RpcSecurityManager fromConf(RpcConf conf) {
    Builder b = builder();
    if (conf.get(SecurityConfigKeys.AUTHENTICATE)) {
      String secret = resolveSecret(conf);
      b.authenticate(secret, secretSource(conf));
    }
    if (conf.get(SecurityConfigKeys.SSL_RPC_ENABLED)) {
      TlsSettingsBuilder tls =
          TlsSettings.builder()
              .protocols(list(conf.get(SecurityConfigKeys.SSL_PROTOCOL)))
              .cipherSuites(list(conf.get(SecurityConfigKeys.SSL_ENABLED_ALGORITHMS)))
              .needClientAuth(conf.get(SecurityConfigKeys.SSL_NEED_CLIENT_AUTH))
              .verifyHostname(conf.get(SecurityConfigKeys.SSL_VERIFY_HOSTNAME))
              .keyPassword(conf.get(SecurityConfigKeys.SSL_KEY_PASSWORD));
      if (conf.get(SecurityConfigKeys.SSL_KEY_STORE) != null) {
        tls.keyStore(
            path(conf.get(SecurityConfigKeys.SSL_KEY_STORE)),
            conf.get(SecurityConfigKeys.SSL_KEY_STORE_PASSWORD));
      }
      if (conf.get(SecurityConfigKeys.SSL_KEY_STORE_TYPE) != null) {
        tls.keyStoreType(conf.get(SecurityConfigKeys.SSL_KEY_STORE_TYPE));
      }
      if (conf.get(SecurityConfigKeys.SSL_PRIVATE_KEY) != null
          || conf.get(SecurityConfigKeys.SSL_CERT_CHAIN) != null) {
        tls.privateKey(
            path(conf.get(SecurityConfigKeys.SSL_PRIVATE_KEY)),
            conf.get(SecurityConfigKeys.SSL_PRIVATE_KEY_PASSWORD),
            path(conf.get(SecurityConfigKeys.SSL_CERT_CHAIN)));
      }
      if (conf.get(SecurityConfigKeys.SSL_TRUST_STORE) != null) {
        tls.trustStore(
            path(conf.get(SecurityConfigKeys.SSL_TRUST_STORE)),
            conf.get(SecurityConfigKeys.SSL_TRUST_STORE_PASSWORD));
      }
      if (conf.get(SecurityConfigKeys.SSL_TRUST_STORE_TYPE) != null) {
        tls.trustStoreType(conf.get(SecurityConfigKeys.SSL_TRUST_STORE_TYPE));
      }
      if (conf.get(SecurityConfigKeys.SSL_TRUST_CERTIFICATES) != null) {
        tls.trustCertificates(path(conf.get(SecurityConfigKeys.SSL_TRUST_CERTIFICATES)));
      }
      b.tls(tls.build());
    }
    return b.build();
  }

  /**
   * The shared secret that {@code conf} designates: {@code spark.authenticate.secret}, else the
   * content of {@code spark.authenticate.secret.file}, else the {@value #SECRET_ENV} environment
   * variable. For hosts that must hand the secret on (through the environment, never a command
   * line); throws {@link IllegalArgumentException} naming the settings if there is none.
   */
  public static String resolveSecret(RpcConf conf) {
    String secret = conf.get(SecurityConfigKeys.AUTH_SECRET);
    if (secret == null && conf.get(SecurityConfigKeys.AUTH_SECRET_FILE) != null) {
      Path file = Path.of(conf.get(SecurityConfigKeys.AUTH_SECRET_FILE));
      try {
        secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Cannot read spark.authenticate.secret.file " + file + ": " + e, e);
      }
    }
    if (secret == null) {
      secret = System.getenv(SECRET_ENV);
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "spark.authenticate=true but no secret is set: set spark.authenticate.secret, "
              + "spark.authenticate.secret.file, or the "
              + SECRET_ENV
              + " environment variable");
    }
    return secret;
  }

  /** Which setting {@link #resolveSecret} took the secret from, for messages. */
  private static String secretSource(RpcConf conf) {
    return conf.get(SecurityConfigKeys.AUTH_SECRET) != null
        ? SecurityConfigKeys.AUTH_SECRET.key()
        : conf.get(SecurityConfigKeys.AUTH_SECRET_FILE) != null
            ? SecurityConfigKeys.AUTH_SECRET_FILE.key()
            : "the " + SECRET_ENV + " environment variable";
  }

  /**
   * The warning a secret too short to resist guessing deserves, or null for a long enough one.
   *
   * @param source where the secret came from, named in the warning
   */
  static String weakSecretWarning(String secret, String source) {
    if (secret.length() >= MIN_SECRET_LENGTH) {
      return null;
    }
    return "The shared secret from "
        + source
        + " is only "
        + secret.length()
        + " characters long: whoever records "
        + "one handshake can try guesses of a secret this short offline. Use at least "
        + MIN_SECRET_LENGTH
        + " random characters, for example the output of 'openssl rand -base64 32' (an rpcenv"
        + " driver started without a secret generates a 256-bit one)";
  }

  private static Path path(String s) {
    return s == null || s.isBlank() ? null : Path.of(s);
  }

  private static List<String> list(String s) {
    return s == null
        ? List.of()
        : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /**
   * A fresh random secret (256 bits, base64), for a driver to hand to executors it starts itself.
   */
  public static String generateSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** A builder for programmatic configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether every connection must authenticate with the shared secret. */
  public boolean isAuthenticationEnabled() {
    return authKey != null;
  }

  /** Whether connections use TLS. */
  public boolean isTlsEnabled() {
    return tls != null;
  }

  /** The TLS settings, or null when TLS is off. */
  public @Nullable TlsSettings tls() {
    return tls;
  }

  /**
   * The key the authentication handshake uses: HMAC-SHA256 of a fixed label under the secret, so
   * that the secret itself never leaves this object. Null when authentication is off.
   */
  public byte[] authenticationKey() {
    return authKey == null ? null : authKey.clone();
  }

  @Override
  public String toString() {
    return "RpcSecurityManager[authentication=" + isAuthenticationEnabled() + ", tls=" + tls + "]";
  }

  /** Builds an {@link RpcSecurityManager}. */
  public static final class Builder {
    private byte[] authKey;
    private TlsSettings tls;

    private Builder() {}

    /**
     * Requires every connection to authenticate with {@code secret}. A secret shorter than {@link
     * #MIN_SECRET_LENGTH} characters is accepted with a warning in the log.
     */
    public Builder authenticate(String secret) {
      return authenticate(secret, "RpcSecurityManager.Builder.authenticate");
    }

    private Builder authenticate(String secret, String source) {
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("the shared secret must not be empty");
      }
      String weak = weakSecretWarning(secret, source);
      if (weak != null) {
        LOG.warn(weak);
      }
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        this.authKey = mac.doFinal("rpcenv authentication key v1".getBytes(StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
      }
      return this;
    }

    /** Encrypts connections with TLS. */
    public Builder tls(TlsSettings tls) {
      this.tls = tls;
      return this;
    }

    /** The security manager. */
    public RpcSecurityManager build() {
      return authKey == null && tls == null ? NONE : new RpcSecurityManager(authKey, tls);
    }
  }
}
