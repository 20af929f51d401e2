package io.rpcenv;

/**
 * Asks one endpoint once, from a client-mode env in its own process, and prints the outcome on one
 * line: {@code REPLY <value>} or {@code FAILED <exception class>: <message>}. The victim of a
 * hostile server, kept in a small heap of its own so that an allocation the server provokes could
 * only hurt it. Arguments: host, port, endpoint name.
 */
public final class AskOnceMain {
  private AskOnceMain() {}

  public static void main(String[] args) {
    try (RpcEnv env =
        RpcEnv.create(
            "asker",
            "127.0.0.1",
            0,
            new RpcConf().set("spark.rpc.askTimeout", "30s"),
            null,
            true)) {
      RpcEndpointRef ref =
          env.setupEndpointRef(new RpcAddress(args[0], Integer.parseInt(args[1])), args[2]);
      try {
        Object reply = ref.askSync("hello");
        System.out.println("REPLY " + reply);
      } catch (Throwable t) {
        System.out.println(
            "FAILED "
                + t.getClass().getName()
                + ": "
                + String.valueOf(t.getMessage()).replace('\n', ' '));
      }
    }
    System.out.println("DONE");
  }
}
