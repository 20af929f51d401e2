package io.rpcenv;

import java.util.concurrent.CountDownLatch;

/**
 * A server env in its own process whose endpoint {@code blocker} blocks on any ask until the
 * endpoint {@code release} is asked "go"; asked "shutdown", {@code release} shuts the env down
 * (leaving the blocker blocked). For tests that read the env's log. Prints its address, serves
 * until the env has terminated, then prints TERMINATED. Arguments: {@code
 * spark.rpc.dispatcher.stallWarning} and {@code spark.rpc.endpointStopTimeout}.
 */
public final class StallingEndpointMain {
  private StallingEndpointMain() {}

  public static void main(String[] args) throws Exception {
    RpcConf conf =
        new RpcConf()
            .set("spark.rpc.dispatcher.stallWarning", args[0])
            .set("spark.rpc.endpointStopTimeout", args[1])
            .set("spark.rpc.netty.dispatcher.numThreads", "2");
    RpcEnv env = RpcEnv.create(RpcEnvConfig.builder("stalling").conf(conf).build());
    CountDownLatch latch = new CountDownLatch(1);
    env.setupEndpoint(
        "blocker",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            try {
              latch.await();
              context.reply("released");
            } catch (InterruptedException e) {
              context.sendFailure(e);
            }
          }
        });
    env.setupEndpoint(
        "release",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            if ("shutdown".equals(message)) {
              rpcEnv().shutdown();
            } else {
              latch.countDown();
            }
            context.reply("ok");
          }
        });
    System.out.println("LISTENING " + env.address().hostPort());
    System.out.flush();
    env.awaitTermination();
    System.out.println("TERMINATED");
  }
}
