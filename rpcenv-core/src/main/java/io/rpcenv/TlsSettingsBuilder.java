package io.rpcenv;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link TlsSettings} without fifteen positional arguments. Identity from a key store or a
 * PEM key and chain, trust from a trust store or a PEM file of certificates; TLSv1.3 and host name
 * verification unless told otherwise.
 *
 * <pre>{@code
 * TlsSettings tls = TlsSettings.builder()
 *     .keyStore(Path.of("server.p12"), "secret")
 *     .trustCertificates(Path.of("ca.pem"))
 *     .build();
 * }</pre>
 */
public final class TlsSettingsBuilder {
  private @Nullable Path keyStore;
  private @Nullable String keyStorePassword;
  private @Nullable String keyStoreType;
  private @Nullable String keyPassword;
  private @Nullable Path privateKey;
  private @Nullable String privateKeyPassword;
  private @Nullable Path certChain;
  private @Nullable Path trustStore;
  private @Nullable String trustStorePassword;
  private @Nullable String trustStoreType;
  private @Nullable Path trustCertificates;
  private List<String> protocols = List.of("TLSv1.3");
  private List<String> cipherSuites = List.of();
  private boolean needClientAuth;
  private boolean verifyHostname = true;

  TlsSettingsBuilder() {}

  /**
   * This env's key and certificate from a key store (PKCS12 unless {@link #keyStoreType} says JKS).
   */
  public TlsSettingsBuilder keyStore(Path path, @Nullable String password) {
    this.keyStore = path;
    this.keyStorePassword = password;
    return this;
  }

  /** {@code PKCS12} (the default) or {@code JKS}. */
  public TlsSettingsBuilder keyStoreType(String type) {
    this.keyStoreType = type;
    return this;
  }

  /** The key's own password, when it differs from its store's. */
  public TlsSettingsBuilder keyPassword(@Nullable String password) {
    this.keyPassword = password;
    return this;
  }

  /**
   * This env's key (PEM, PKCS#8; {@code password} when encrypted) and its certificate chain (PEM).
   */
  public TlsSettingsBuilder privateKey(Path key, @Nullable String password, Path chain) {
    this.privateKey = key;
    this.privateKeyPassword = password;
    this.certChain = chain;
    return this;
  }

  /**
   * The certificates or authorities to trust, from a trust store (PKCS12 unless {@link
   * #trustStoreType} says JKS).
   */
  public TlsSettingsBuilder trustStore(Path path, @Nullable String password) {
    this.trustStore = path;
    this.trustStorePassword = password;
    return this;
  }

  /** {@code PKCS12} (the default) or {@code JKS}. */
  public TlsSettingsBuilder trustStoreType(String type) {
    this.trustStoreType = type;
    return this;
  }

  /** The certificates to trust, from a PEM file. */
  public TlsSettingsBuilder trustCertificates(Path pem) {
    this.trustCertificates = pem;
    return this;
  }

  /** Enabled protocols; default {@code TLSv1.3}. */
  public TlsSettingsBuilder protocols(List<String> enabled) {
    this.protocols = enabled;
    return this;
  }

  /** Enabled cipher suites; default (empty) the provider's. */
  public TlsSettingsBuilder cipherSuites(List<String> enabled) {
    this.cipherSuites = enabled;
    return this;
  }

  /** Whether servers require and verify client certificates (mutual TLS); default false. */
  public TlsSettingsBuilder needClientAuth(boolean need) {
    this.needClientAuth = need;
    return this;
  }

  /** Whether clients check that the server's certificate names the host dialed; default true. */
  public TlsSettingsBuilder verifyHostname(boolean verify) {
    this.verifyHostname = verify;
    return this;
  }

  /**
   * The settings; throws {@link IllegalArgumentException} when trust or key material is missing or
   * doubled.
   */
  public TlsSettings build() {
    return new TlsSettings(
        keyStore,
        keyStorePassword,
        keyStoreType,
        keyPassword,
        privateKey,
        privateKeyPassword,
        certChain,
        trustStore,
        trustStorePassword,
        trustStoreType,
        trustCertificates,
        protocols,
        cipherSuites,
        needClientAuth,
        verifyHostname);
  }
}
