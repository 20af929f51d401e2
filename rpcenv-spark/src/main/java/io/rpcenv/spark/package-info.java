/**
 * Runs rpcenv plugins inside an Apache Spark 4.0 application: set {@code
 * spark.plugins=io.rpcenv.spark.RpcenvSparkPlugin} and name the {@link io.rpcenv.plugin.RpcPlugin}
 * classes in {@code spark.rpcenv.plugins}.
 */
package io.rpcenv.spark;
