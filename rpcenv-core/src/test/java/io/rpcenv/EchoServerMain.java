package io.rpcenv;

/** A server env in its own process, for two-process tests: prints its URL, serves until killed or stdin closes. */
public final class EchoServerMain {
  private EchoServerMain() {}

  public static void main(String[] args) throws Exception {
    RpcEnv env = RpcEnv.create("child", "127.0.0.1", 0, new RpcConf(), null);
    env.setupEndpoint("echo", new RpcEndpoint() {
      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        if (!"hold".equals(message)) {
          context.reply("child echoes " + message);
        }
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
