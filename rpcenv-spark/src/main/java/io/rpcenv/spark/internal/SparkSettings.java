package io.rpcenv.spark.internal;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcSecurityManager;
import io.rpcenv.SecurityConfigKeys;
import io.rpcenv.plugin.PluginConfigKeys;
import io.rpcenv.plugin.host.PluginLoader;
import io.rpcenv.spark.SparkConfigKeys;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * The rpcenv side of a Spark application's settings: the {@code SparkConf} itself (the keys are the
 * same {@code spark.*} keys), with {@code spark.plugins} naming the rpcenv plugins of {@code
 * spark.rpcenv.plugins} instead of the adapter, their packages admitted by the deserialization
 * allow-list, without the extra conf of Spark's plugins, and no secret in it: the secret goes only
 * into the {@link RpcSecurityManager}.
 */
final class SparkSettings {
  private SparkSettings() {}

  /** The rpcenv settings of {@code spark}, without secrets; see the class comment. */
  static RpcConf rpcConf(SparkConf spark) {
    RpcConf conf = new RpcConf();
    for (Tuple2<String, String> kv : spark.getAll()) {
      // Spark's own plugins' extra conf is theirs; the rpcenv plugins' is added back by ExtraConf.
      if (!SecurityConfigKeys.isSecret(kv._1())
          && !kv._1().startsWith(PluginConfigKeys.EXTRA_CONF_PREFIX)) {
        conf.set(kv._1(), kv._2());
      }
    }
    conf.set(PluginConfigKeys.PLUGINS_DEFAULT_LIST.key(), "");
    conf.set(PluginConfigKeys.PLUGINS.key(), spark.get(SparkConfigKeys.PLUGINS.key(), ""));
    PluginLoader.allowPluginPackages(conf);
    return conf;
  }

  /**
   * The security of the application, with no plaintext fallback: with {@code spark.authenticate}
   * the application's own secret, as Spark's security manager holds it in this process (the driver
   * made or read it; executors received it from their cluster manager); {@code spark.ssl.rpc.*} for
   * TLS, passwords included.
   */
  static RpcSecurityManager security(SparkConf spark, SparkEnv env) {
    RpcConf withSecrets = new RpcConf();
    for (Tuple2<String, String> kv : spark.getAll()) {
      if (kv._1().startsWith("spark.ssl.") || kv._1().startsWith("spark.authenticate")) {
        withSecrets.set(kv._1(), kv._2());
      }
    }
    if (withSecrets.get(SecurityConfigKeys.AUTHENTICATE)) {
      withSecrets.set(SecurityConfigKeys.AUTH_SECRET.key(), env.securityManager().getSecretKey());
    }
    return RpcSecurityManager.fromConf(withSecrets);
  }
}
