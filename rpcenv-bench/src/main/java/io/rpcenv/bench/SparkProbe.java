package io.rpcenv.bench;

import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcEnv;

/** Checks that Spark's RpcEnv starts on this class path. */
public final class SparkProbe {
  public static void main(String[] args) {
    SparkConf conf = new SparkConf();
    RpcEnv env = RpcEnv.create("probe", "127.0.0.1", 0, conf, new SecurityManager(conf, scala.Option.empty(), null),
        false);
    System.out.println("spark rpc env at " + env.address());
    env.shutdown();
    env.awaitTermination();
  }
}
