package io.rpcenv.internal;

import io.rpcenv.RpcEnv;
import io.rpcenv.internal.transport.Connection;
import java.util.List;

/** Lets tests in other packages look inside an env. */
public final class TestAccessBridge {
  private TestAccessBridge() {}

  public static List<Connection> connections(RpcEnv env) {
    return ((NettyRpcEnv) env).transport().connections();
  }

  /** How many threads the env keeps track of (for shutdown to join). */
  public static int threadsKept(RpcEnv env) {
    int n = 0;
    for (Thread t : ((NettyRpcEnv) env).threads().all()) {
      n++;
    }
    return n;
  }

  /** How many isolated endpoints' thread pools the env holds. */
  public static int isolatedPools(RpcEnv env) {
    return ((NettyRpcEnv) env).dispatcher().isolatedPoolCount();
  }

  /**
   * A ref to {@code name} at {@code address} without looking it up (for peers that cannot answer
   * lookups).
   */
  public static io.rpcenv.RpcEndpointRef refWithoutLookup(
      RpcEnv env, io.rpcenv.RpcAddress address, String name) {
    return ((NettyRpcEnv) env).refTo(address, name);
  }

  /** Connection failures that were neither the protocol's nor the network's (see Transport). */
  public static long unexpectedErrors(RpcEnv env) {
    return ((NettyRpcEnv) env).transport().unexpectedErrors();
  }

  /** Bytes the env holds of frames still arriving. */
  public static long frameBytesHeld(RpcEnv env) {
    return ((NettyRpcEnv) env).transport().frameBytesHeld();
  }

  /**
   * One-way messages that connections which closed did not send, or sent without the peer
   * confirming them.
   */
  public static long oneWaysLost(RpcEnv env) {
    var t = ((NettyRpcEnv) env).transport();
    return t.oneWaysNotSent() + t.oneWaysUnconfirmed();
  }

  /** What encrypts the env's connections, or null without TLS. */
  public static String tlsEngine(RpcEnv env) {
    var tls = ((NettyRpcEnv) env).transport().settings().tls();
    return tls == null ? null : tls.engine();
  }
}
