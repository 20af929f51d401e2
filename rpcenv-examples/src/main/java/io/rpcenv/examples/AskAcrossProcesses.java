package io.rpcenv.examples;

import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ask of the README, across two processes: this process starts a server-mode env with a
 * "greeter" endpoint, then starts a second JVM whose client-mode env looks the greeter up by URL
 * and asks it. Every line says which process printed it. Exits 0 when the round trip worked.
 *
 * <pre>
 * java -jar rpcenv-examples.jar              # both sides
 * java -jar rpcenv-examples.jar client URL   # only the asking side
 * </pre>
 */
public final class AskAcrossProcesses {
  private AskAcrossProcesses() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("client")) {
      System.exit(client(args[1]));
    }
    System.exit(server());
  }

  private static int server() throws Exception {
    String me = "[server pid " + ProcessHandle.current().pid() + "]";
    try (RpcEnv env = RpcEnv.create(RpcEnvConfig.builder("server").conf(new RpcConf()).build())) {
      env.setupEndpoint(
          "greeter",
          new RpcEndpoint() {
            @Override
            public void receiveAndReply(Object message, RpcCallContext context) {
              System.out.println(
                  me + " received '" + message + "' from " + context.senderAddress());
              context.reply(
                  "hello, " + message + "! (from pid " + ProcessHandle.current().pid() + ")");
            }
          });
      String url = "spark://greeter@" + env.address().hostPort();
      System.out.println(me + " listening at " + url);
      Process client =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-cp",
                      System.getProperty("java.class.path"),
                      AskAcrossProcesses.class.getName(),
                      "client",
                      url))
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
        out.lines().forEach(System.out::println);
      }
      if (!client.waitFor(60, TimeUnit.SECONDS)) {
        client.destroyForcibly();
        System.out.println(me + " the client did not finish within 60 s");
        return 1;
      }
      System.out.println(me + " client exited with " + client.exitValue() + "; shutting down");
      return client.exitValue();
    }
  }

  private static int client(String url) {
    String me = "[client pid " + ProcessHandle.current().pid() + "]";
    try (RpcEnv env =
        RpcEnv.create(
            RpcEnvConfig.builder("client").conf(new RpcConf()).clientMode(true).build())) {
      RpcEndpointRef greeter = env.setupEndpointRefByURI(url);
      System.out.println(me + " asking " + greeter.endpointAddress());
      String reply = greeter.askSync("client");
      System.out.println(me + " got reply: " + reply);
      return 0;
    } catch (RuntimeException e) {
      System.out.println(me + " failed: " + e.getMessage());
      return 1;
    }
  }
}
