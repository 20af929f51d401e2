package io.rpcenv;

import io.netty.util.internal.PlatformDependent;
import io.rpcenv.testkit.HeapAfterGc;

/**
 * A server env in its own small-heap process, for tests that attack its memory. Its "echo" endpoint
 * answers with the size of what it got; its "memory" endpoint with the heap in use after a
 * collection and Netty's direct memory, as {@code heap=N direct=M}. Arguments: settings as {@code
 * key=value}. Prints {@code LISTENING <url>}; serves until stdin closes.
 */
public final class VictimMain {
  private VictimMain() {}

  public static void main(String[] args) throws Exception {
    RpcConf conf = new RpcConf();
    for (String a : args) {
      int eq = a.indexOf('=');
      conf.set(a.substring(0, eq), a.substring(eq + 1));
    }
    RpcEnv env = RpcEnv.create(RpcEnvConfig.builder("victim").conf(conf).build());
    env.setupEndpoint(
        "echo",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            context.reply(
                message instanceof byte[] b ? "got " + b.length + " bytes" : "got " + message);
          }
        });
    env.setupEndpoint(
        "memory",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            context.reply(
                "heap="
                    + HeapAfterGc.measure(2)
                    + " direct="
                    + PlatformDependent.usedDirectMemory());
          }
        });
    System.out.println("LISTENING spark://echo@" + env.address().hostPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the parent closes stdin
    }
    env.close();
  }
}
