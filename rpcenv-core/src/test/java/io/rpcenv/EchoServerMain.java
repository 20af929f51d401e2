package io.rpcenv;

/**
 * A server env in its own process, for two-process tests: prints its URL, serves until killed or
 * stdin closes. Arguments, all optional: the port (0 for any), a label put in its replies, and the
 * host to listen on (127.0.0.1).
 */
public final class EchoServerMain {
  private EchoServerMain() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    String label = args.length > 1 ? args[1] : "child";
    String host = args.length > 2 ? args[2] : "127.0.0.1";
    RpcEnv env =
        RpcEnv.create(
            RpcEnvConfig.builder("child").bindAddress(host).port(port).conf(new RpcConf()).build());
    env.setupEndpoint(
        "echo",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            if (!"hold".equals(message)) {
              context.reply(label + " echoes " + message);
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
