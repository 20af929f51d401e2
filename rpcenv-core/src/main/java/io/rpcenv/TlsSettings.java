package io.rpcenv;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings of an env, from {@code spark.ssl.rpc.*}. This env's identity comes from a key store
 * or from a PEM private key and certificate chain; the peers it trusts come from a trust store or a
 * PEM file of certificates, and one of those is required: rpcenv never trusts everyone.
 *
 * @param keyStore key store (PKCS12 or JKS) with this env's key and certificate, or null
 * @param keyStorePassword its password, or null
 * @param keyStoreType {@code PKCS12} or {@code JKS}
 * @param keyPassword the key's password if it differs from the store's, or null
 * @param privateKey PEM (PKCS#8) private key, instead of a key store, or null
 * @param privateKeyPassword its password if encrypted, or null
 * @param certChain PEM certificate chain for {@code privateKey}, or null
 * @param trustStore trust store (PKCS12 or JKS) of the certificates or authorities to trust, or
 *     null
 * @param trustStorePassword its password, or null
 * @param trustStoreType {@code PKCS12} or {@code JKS}
 * @param trustCertificates PEM file of certificates to trust, instead of a trust store, or null
 * @param protocols enabled protocols, e.g. {@code [TLSv1.3]}
 * @param cipherSuites enabled cipher suites; empty for the provider's defaults
 * @param needClientAuth whether servers require and verify client certificates (mutual TLS)
 * @param verifyHostname whether clients check that the server's certificate names the host dialed
 */
public record TlsSettings(
    @Nullable Path keyStore,
    @Nullable String keyStorePassword,
    String keyStoreType,
    @Nullable String keyPassword,
    @Nullable Path privateKey,
    @Nullable String privateKeyPassword,
    @Nullable Path certChain,
    @Nullable Path trustStore,
    @Nullable String trustStorePassword,
    String trustStoreType,
    @Nullable Path trustCertificates,
    List<String> protocols,
    List<String> cipherSuites,
    boolean needClientAuth,
    boolean verifyHostname) {

  /** Checks that a trust source is given and that key material is complete. */
  public TlsSettings {
    Objects.requireNonNull(protocols, "protocols");
    protocols = List.copyOf(protocols);
    cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    keyStoreType = keyStoreType == null ? "PKCS12" : keyStoreType;
    trustStoreType = trustStoreType == null ? "PKCS12" : trustStoreType;
    if (trustStore == null && trustCertificates == null) {
      throw new IllegalArgumentException(
          "spark.ssl.rpc.enabled=true but neither spark.ssl.rpc.trustStore nor"
              + " spark.ssl.rpc.trustCertificates is set: rpcenv refuses to start rather than trust"
              + " every certificate");
    }
    if (keyStore != null && privateKey != null) {
      throw new IllegalArgumentException(
          "Set either spark.ssl.rpc.keyStore or spark.ssl.rpc.privateKey "
              + "(with spark.ssl.rpc.certChain), not both");
    }
    if ((privateKey == null) != (certChain == null)) {
      throw new IllegalArgumentException(
          "spark.ssl.rpc.privateKey and spark.ssl.rpc.certChain go together: set both");
    }
  }

  /** A builder, instead of the fifteen positional components. */
  public static TlsSettingsBuilder builder() {
    return new TlsSettingsBuilder();
  }

  /**
   * Whether this env has a key and certificate of its own (required to listen, and for mutual TLS).
   */
  public boolean hasKeyMaterial() {
    return keyStore != null || privateKey != null;
  }

  /** Paths only: passwords are not printed. */
  @Override
  public String toString() {
    return "TlsSettings[keyStore="
        + keyStore
        + ", privateKey="
        + privateKey
        + ", certChain="
        + certChain
        + ", trustStore="
        + trustStore
        + ", trustCertificates="
        + trustCertificates
        + ", protocols="
        + protocols
        + ", needClientAuth="
        + needClientAuth
        + ", verifyHostname="
        + verifyHostname
        + "]";
  }
}
