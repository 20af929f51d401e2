package io.rpcenv.bench.harness;

/**
 * The workloads of issue 5 (W*), each with a 16-byte payload unless stated, and of issue 13 (F1).
 */
public enum Workload {
  W1("one ask at a time", "asks/s"),
  W2("64 asks in flight", "asks/s"),
  W3("one million one-way sends, counted at the receiver", "msgs/s"),
  W4("8 MiB byte[] asks (echoed)", "MiB/s"),
  W5("fan-in: 32 clients in 4 JVMs, one ask at a time each", "asks/s"),
  W6("1,000 endpoints on one server, 64 asks in flight spread over them", "asks/s"),
  F1("fetch a 1 GiB file from the server's file server, plaintext", "MiB/s");

  private final String description;
  private final String unit;

  Workload(String description, String unit) {
    this.description = description;
    this.unit = unit;
  }

  public String description() {
    return description;
  }

  public String unit() {
    return unit;
  }
}
