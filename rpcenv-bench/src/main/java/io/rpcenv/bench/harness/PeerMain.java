package io.rpcenv.bench.harness;

/**
 * Entry point of a benchmark JVM. {@code PeerMain <factory class> server <endpoints>} prints {@code
 * READY <port>} and serves until its standard input closes; {@code PeerMain <factory class> client
 * <workload> <port> <endpoints> <clients> <messages> <warmup ms> <measure ms>} runs one workload
 * and prints one {@code RESULT} line.
 */
public final class PeerMain {
  private PeerMain() {}

  /** What a client prints once connected; it then waits for {@link #GO} on its input. */
  static final String CONNECTED = "CONNECTED";

  static final String GO = "GO\n";

  public static void main(String[] args) throws Exception {
    PeerFactory factory = (PeerFactory) Class.forName(args[0]).getConstructor().newInstance();
    if (args[1].equals("server")) {
      try (BenchServer server = factory.server(Integer.parseInt(args[2]))) {
        System.out.println("READY " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
          // serve until the orchestrator closes our input
        }
      }
      System.exit(0);
    }
    Workload w = Workload.valueOf(args[2]);
    int port = Integer.parseInt(args[3]);
    int endpoints = Integer.parseInt(args[4]);
    Workloads.Params p =
        new Workloads.Params(
            Long.parseLong(args[7]),
            Long.parseLong(args[8]),
            endpoints,
            Integer.parseInt(args[5]),
            Integer.parseInt(args[6]));
    Result r =
        Workloads.run(
            w,
            p,
            () -> factory.client(port, endpoints),
            () -> { // connected: wait for the orchestrator to start every client JVM at once
              System.out.println(CONNECTED);
              System.out.flush();
              new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          System.in, java.nio.charset.StandardCharsets.UTF_8))
                  .readLine();
            });
    System.out.println(r.toLine());
    System.out.flush();
    System.exit(0);
  }
}
