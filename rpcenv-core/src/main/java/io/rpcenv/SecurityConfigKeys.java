package io.rpcenv;

import java.util.Locale;

/**
 * The settings of rpcenv-core that concern security: authentication, TLS and the deserialization
 * filter. Declared like {@link RpcConfigKeys}, and listed with them in {@link RpcConfigKeys#all()}
 * and the README's table.
 */
public final class SecurityConfigKeys {
  private SecurityConfigKeys() {}

  /** Shared-secret authentication. */
  public static final ConfigKey<Boolean> AUTHENTICATE =
      ConfigKey.bool(
          "spark.authenticate",
          false,
          "Require mutual shared-secret authentication (HMAC-SHA256 challenge/response) on every"
              + " connection.");

  /** The shared secret. */
  public static final ConfigKey<String> AUTH_SECRET =
      ConfigKey.string(
          "spark.authenticate.secret",
          null,
          "The shared secret; or use spark.authenticate.secret.file or the _SPARK_AUTH_SECRET"
              + " environment variable.");

  /** A file holding the shared secret. */
  public static final ConfigKey<String> AUTH_SECRET_FILE =
      ConfigKey.string(
          "spark.authenticate.secret.file",
          null,
          "A file whose content (trailing newline removed) is the shared secret.");

  /** TLS on the RPC port. */
  public static final ConfigKey<Boolean> SSL_RPC_ENABLED =
      ConfigKey.bool(
          "spark.ssl.rpc.enabled",
          false,
          "Encrypt and authenticate connections with TLS; needs a trust store and, to listen, a"
              + " key.");

  /** Key store. */
  public static final ConfigKey<String> SSL_KEY_STORE =
      ConfigKey.string(
          "spark.ssl.rpc.keyStore",
          null,
          "Key store (PKCS12 or JKS) with this env's private key and certificate.");

  /** Key store password. */
  public static final ConfigKey<String> SSL_KEY_STORE_PASSWORD =
      ConfigKey.string(
          "spark.ssl.rpc.keyStorePassword", null, "Password of spark.ssl.rpc.keyStore.");

  /** Key store type. */
  public static final ConfigKey<String> SSL_KEY_STORE_TYPE =
      ConfigKey.string(
          "spark.ssl.rpc.keyStoreType", "PKCS12", "Type of spark.ssl.rpc.keyStore: PKCS12 or JKS.");

  /** Key password. */
  public static final ConfigKey<String> SSL_KEY_PASSWORD =
      ConfigKey.string(
          "spark.ssl.rpc.keyPassword",
          null,
          "Password of the private key in the key store, if it differs from the store's.");

  /** PEM private key. */
  public static final ConfigKey<String> SSL_PRIVATE_KEY =
      ConfigKey.string(
          "spark.ssl.rpc.privateKey",
          null,
          "PEM (PKCS#8) private key file, instead of a key store; goes with"
              + " spark.ssl.rpc.certChain.");

  /** PEM private key password. */
  public static final ConfigKey<String> SSL_PRIVATE_KEY_PASSWORD =
      ConfigKey.string(
          "spark.ssl.rpc.privateKeyPassword",
          null,
          "Password of spark.ssl.rpc.privateKey, if it is encrypted.");

  /** PEM certificate chain. */
  public static final ConfigKey<String> SSL_CERT_CHAIN =
      ConfigKey.string(
          "spark.ssl.rpc.certChain",
          null,
          "PEM certificate chain file for spark.ssl.rpc.privateKey.");

  /** Trust store. */
  public static final ConfigKey<String> SSL_TRUST_STORE =
      ConfigKey.string(
          "spark.ssl.rpc.trustStore",
          null,
          "Trust store (PKCS12 or JKS) of the certificates or authorities this env trusts; required"
              + " with TLS unless spark.ssl.rpc.trustCertificates is set.");

  /** Trust store password. */
  public static final ConfigKey<String> SSL_TRUST_STORE_PASSWORD =
      ConfigKey.string(
          "spark.ssl.rpc.trustStorePassword", null, "Password of spark.ssl.rpc.trustStore.");

  /** Trust store type. */
  public static final ConfigKey<String> SSL_TRUST_STORE_TYPE =
      ConfigKey.string(
          "spark.ssl.rpc.trustStoreType",
          "PKCS12",
          "Type of spark.ssl.rpc.trustStore: PKCS12 or JKS.");

  /** PEM trusted certificates. */
  public static final ConfigKey<String> SSL_TRUST_CERTIFICATES =
      ConfigKey.string(
          "spark.ssl.rpc.trustCertificates",
          null,
          "PEM file of certificates to trust, instead of a trust store.");

  /** TLS protocols. */
  public static final ConfigKey<String> SSL_PROTOCOL =
      ConfigKey.string(
          "spark.ssl.rpc.protocol", "TLSv1.3", "Enabled TLS protocol versions, comma-separated.");

  /** Cipher suites. */
  public static final ConfigKey<String> SSL_ENABLED_ALGORITHMS =
      ConfigKey.string(
          "spark.ssl.rpc.enabledAlgorithms",
          "",
          "Enabled cipher suites, comma-separated; empty for the JDK's defaults.");

  /** Which TLS implementation encrypts. */
  public static final ConfigKey<String> SSL_ENGINE =
      ConfigKey.string(
              "spark.ssl.rpc.engine",
              "auto",
              "auto (OpenSSL, BoringSSL from netty-tcnative, when its native library loads, else"
                  + " the JDK's; the env logs which), openssl (refused where it cannot load), or"
                  + " jdk.")
          .checked(
              v ->
                  v.equalsIgnoreCase("auto")
                          || v.equalsIgnoreCase("openssl")
                          || v.equalsIgnoreCase("jdk")
                      ? null
                      : "must be auto, openssl or jdk");

  /** Mutual TLS. */
  public static final ConfigKey<Boolean> SSL_NEED_CLIENT_AUTH =
      ConfigKey.bool(
          "spark.ssl.rpc.needClientAuth",
          false,
          "Mutual TLS: servers require a client certificate that their trust store vouches for.");

  /** Hostname verification. */
  public static final ConfigKey<Boolean> SSL_VERIFY_HOSTNAME =
      ConfigKey.bool(
          "spark.ssl.rpc.verifyHostname",
          true,
          "Clients check that the server's certificate names the host they dialed.");

  /**
   * Whether {@code key} names a secret or a password (but not the file a secret is read from): such
   * settings never travel to another process, and hosts keep them out of the conf they show.
   */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return (k.contains("secret") && !k.endsWith("secret.file")) || k.contains("password");
  }

  /** Which serializer writes messages. */
  public static final ConfigKey<String> SERIALIZER =
      ConfigKey.string(
          "spark.rpc.serializer",
          "java",
          "java (Java serialization, with rpcenv's fast paths for byte[], strings, boxes and"
              + " records of them), or kryo (with io.rpcenv:rpcenv-kryo on the class path: Kryo 5"
              + " for other classes, under the same allow-list and limits; both sides must set"
              + " it).");

  /** Deserialization allow-list. */
  public static final ConfigKey<String> SERIALIZER_ALLOW_LIST =
      ConfigKey.string(
          "spark.rpc.serializer.allowList",
          "",
          "Classes that may be deserialized besides JDK value types and rpcenv's own:"
              + " comma-separated com.example.Foo, com.example.* (package) or com.example.** (and"
              + " subpackages).");

  /** Deserialization depth limit. */
  public static final ConfigKey<Integer> SERIALIZER_MAX_DEPTH =
      ConfigKey.integer(
              "spark.rpc.serializer.maxDepth",
              20,
              "Deepest object graph a message may have; low enough to stop nested-collection"
                  + " bombs.")
          .checked(RpcConfigKeys::positive);

  /** Deserialization reference limit. */
  public static final ConfigKey<Integer> SERIALIZER_MAX_REFERENCES =
      ConfigKey.integer(
              "spark.rpc.serializer.maxReferences",
              1_000_000,
              "Most objects and references one message may hold.")
          .checked(RpcConfigKeys::positive);

  /** Deserialization array limit. */
  public static final ConfigKey<Integer> SERIALIZER_MAX_ARRAY_LENGTH =
      ConfigKey.integer(
              "spark.rpc.serializer.maxArrayLength",
              null,
              "Longest array a message may hold, checked before it is allocated.")
          .computedDefault("spark.rpc.message.maxSize in bytes")
          .checked(RpcConfigKeys::positive);
}
