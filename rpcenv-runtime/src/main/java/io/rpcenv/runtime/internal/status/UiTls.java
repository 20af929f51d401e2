package io.rpcenv.runtime.internal.status;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.rpcenv.RpcConf;
import io.rpcenv.SecurityConfigKeys;
import io.rpcenv.runtime.RuntimeConfigKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * The status page's TLS ({@code spark.ssl.ui.*}): a key store with its key and certificate. As in
 * Spark, where a {@code spark.ssl.ui.*} key store is not given, the RPC one ({@code
 * spark.ssl.rpc.keyStore}, with its type and passwords) serves the page too.
 */
final class UiTls {
  private UiTls() {}

  static SslContext context(RpcConf conf) {
    boolean own = conf.get(RuntimeConfigKeys.UI_KEY_STORE) != null;
    String store =
        own ? conf.get(RuntimeConfigKeys.UI_KEY_STORE) : conf.get(SecurityConfigKeys.SSL_KEY_STORE);
    String setting = own ? "spark.ssl.ui.keyStore" : "spark.ssl.rpc.keyStore";
    if (store == null) {
      throw new IllegalArgumentException(
          "spark.ssl.ui.enabled=true but neither spark.ssl.ui.keyStore nor spark.ssl.rpc.keyStore"
              + " is set: the status page needs a key and certificate to serve HTTPS");
    }
    String type =
        own
            ? conf.get(RuntimeConfigKeys.UI_KEY_STORE_TYPE)
            : conf.get(SecurityConfigKeys.SSL_KEY_STORE_TYPE);
    String storePassword =
        own
            ? conf.get(RuntimeConfigKeys.UI_KEY_STORE_PASSWORD)
            : conf.get(SecurityConfigKeys.SSL_KEY_STORE_PASSWORD);
    String keyPassword =
        own
            ? conf.get(RuntimeConfigKeys.UI_KEY_PASSWORD)
            : conf.get(SecurityConfigKeys.SSL_KEY_PASSWORD);
    try {
      KeyStore ks = KeyStore.getInstance(type);
      try (InputStream in = Files.newInputStream(Path.of(store))) {
        ks.load(in, storePassword == null ? null : storePassword.toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      String kp = keyPassword != null ? keyPassword : storePassword;
      kmf.init(ks, kp == null ? null : kp.toCharArray());
      return SslContextBuilder.forServer(kmf)
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "Cannot serve the status page over HTTPS with "
              + setting
              + " "
              + store
              + " (type "
              + type
              + "): "
              + e.getMessage(),
          e);
    }
  }
}
