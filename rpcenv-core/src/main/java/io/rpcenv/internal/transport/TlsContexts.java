package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcException;
import io.rpcenv.TlsSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of an env: a server context (when it listens) and a client context, built once from
 * {@link TlsSettings} with the engine {@code spark.ssl.rpc.engine} chooses: OpenSSL (BoringSSL from
 * netty-tcnative, several times the JDK's speed) when its native library loads, else the JDK's.
 * Clients verify the server's host name unless told not to; servers require client certificates for
 * mutual TLS.
 */
public final class TlsContexts {
  private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

  private final SslContext server;
  private final SslContext client;
  private final boolean verifyHostname;
  private final Duration handshakeTimeout;
  private final String engine;

  private TlsContexts(
      SslContext server,
      SslContext client,
      boolean verifyHostname,
      Duration handshakeTimeout,
      String engine) {
    this.server = server;
    this.client = client;
    this.verifyHostname = verifyHostname;
    this.handshakeTimeout = handshakeTimeout;
    this.engine = engine;
  }

  /**
   * The provider {@code setting} (auto, openssl or jdk) names; openssl where it cannot load is
   * refused with the reason.
   */
  static SslProvider provider(String setting) {
    String m = setting.toLowerCase(Locale.ROOT);
    if (m.equals("jdk")) {
      return SslProvider.JDK;
    }
    if (OpenSsl.isAvailable()) {
      return SslProvider.OPENSSL;
    }
    if (m.equals("openssl")) {
      throw new IllegalArgumentException(
          "spark.ssl.rpc.engine=openssl, but OpenSSL (netty-tcnative) cannot load here: "
              + OpenSsl.unavailabilityCause()
              + ". Use spark.ssl.rpc.engine=auto or jdk.");
    }
    return SslProvider.JDK;
  }

  /** What encrypts: "OpenSSL (BoringSSL ...)" or "JDK (...)". */
  public String engine() {
    return engine;
  }

  /**
   * Builds the contexts with the engine {@code engineSetting} (spark.ssl.rpc.engine) chooses;
   * throws {@link RpcException} naming the setting whose file cannot be read or whose content is
   * unusable.
   */
  public static TlsContexts build(
      TlsSettings s,
      boolean listens,
      String envName,
      Duration handshakeTimeout,
      String engineSetting) {
    try {
      SslProvider provider = provider(engineSetting);
      KeyManagerFactory kmf = s.keyStore() == null ? null : keyManagers(s);
      TrustManagerFactory tmf = s.trustStore() == null ? null : trustManagers(s);
      SslContext server = null;
      if (listens) {
        if (!s.hasKeyMaterial()) {
          throw new IllegalArgumentException(
              "spark.ssl.rpc.enabled=true, but RpcEnv '"
                  + envName
                  + "' listens and has no key: set spark.ssl.rpc.keyStore, or"
                  + " spark.ssl.rpc.privateKey and spark.ssl.rpc.certChain");
        }
        SslContextBuilder b =
            kmf != null
                ? SslContextBuilder.forServer(kmf)
                : SslContextBuilder.forServer(
                    s.certChain().toFile(), s.privateKey().toFile(), s.privateKeyPassword());
        server =
            common(b, s, tmf, provider)
                .clientAuth(s.needClientAuth() ? ClientAuth.REQUIRE : ClientAuth.NONE)
                .build();
      }
      SslContextBuilder cb = SslContextBuilder.forClient();
      if (kmf != null) {
        cb.keyManager(kmf);
      } else if (s.privateKey() != null) {
        cb.keyManager(s.certChain().toFile(), s.privateKey().toFile(), s.privateKeyPassword());
      }
      SslContext client = common(cb, s, tmf, provider).build();
      String engine =
          provider == SslProvider.OPENSSL
              ? "OpenSSL (" + OpenSsl.versionString() + ")"
              : "JDK (" + System.getProperty("java.vm.version") + ")";
      LOG.info(
          "RpcEnv '{}' encrypts with {} (spark.ssl.rpc.engine={})", envName, engine, engineSetting);
      return new TlsContexts(server, client, s.verifyHostname(), handshakeTimeout, engine);
    } catch (IllegalArgumentException e) {
      throw new RpcException(e.getMessage(), e);
    } catch (Exception e) {
      throw new RpcException("RpcEnv '" + envName + "' cannot set up TLS from " + s + ": " + e, e);
    }
  }

  private static SslContextBuilder common(
      SslContextBuilder b, TlsSettings s, TrustManagerFactory tmf, SslProvider provider) {
    b.sslProvider(provider).protocols(s.protocols().toArray(new String[0]));
    if (!s.cipherSuites().isEmpty()) {
      b.ciphers(s.cipherSuites());
    }
    if (tmf != null) {
      b.trustManager(tmf);
    } else {
      b.trustManager(s.trustCertificates().toFile());
    }
    return b;
  }

  private static KeyManagerFactory keyManagers(TlsSettings s) throws Exception {
    KeyStore ks =
        load(s.keyStore(), s.keyStoreType(), s.keyStorePassword(), "spark.ssl.rpc.keyStore");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    String keyPassword = s.keyPassword() != null ? s.keyPassword() : s.keyStorePassword();
    kmf.init(ks, keyPassword == null ? null : keyPassword.toCharArray());
    return kmf;
  }

  private static TrustManagerFactory trustManagers(TlsSettings s) throws Exception {
    KeyStore ts =
        load(
            s.trustStore(), s.trustStoreType(), s.trustStorePassword(), "spark.ssl.rpc.trustStore");
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    return tmf;
  }

  private static KeyStore load(Path path, String type, String password, String setting)
      throws Exception {
    KeyStore ks = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(path)) {
      ks.load(in, password == null ? null : password.toCharArray());
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "Cannot load " + setting + " " + path + " (type " + type + "): " + e, e);
    }
    return ks;
  }

  /** A handler for an accepted connection. */
  SslHandler serverHandler(ByteBufAllocator alloc) {
    SslHandler h = server.newHandler(alloc);
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return h;
  }

  /** A handler for a connection to {@code peer}, verifying that its certificate names that host. */
  SslHandler clientHandler(ByteBufAllocator alloc, RpcAddress peer) {
    String host =
        peer.host().startsWith("[")
            ? peer.host().substring(1, peer.host().length() - 1)
            : peer.host();
    SslHandler h = client.newHandler(alloc, host, peer.port());
    if (verifyHostname) {
      SSLEngine engine = h.engine();
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(params);
    }
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return h;
  }
}
