package io.rpcenv.bench.harness;

/**
 * The workloads: those of issue 5 (W1-W6, 16-byte payloads unless stated), issue 13 (F1) and issue
 * 14 (W7, the fan-in sweep N*, the message-size sweep S*).
 */
public enum Workload {
  W1("one ask at a time", "asks/s", 0, 16),
  W2("64 asks in flight", "asks/s", 0, 16),
  W3("one million one-way sends, counted at the receiver", "msgs/s", 0, 16),
  W4("8 MiB byte[] asks (echoed)", "MiB/s", 0, 8 << 20),
  W5("fan-in: 32 clients in 4 JVMs, one ask at a time each", "asks/s", 32, 16),
  W6("1,000 endpoints on one server, 64 asks in flight spread over them", "asks/s", 0, 16),
  W7R("a ~1 KB record (strings, a list, a map, bytes), 64 in flight", "asks/s", 0, 0),
  W7C("the same content as a plain Serializable class, 64 in flight", "asks/s", 0, 0),
  N1("fan-in: 1 client env, one ask at a time", "asks/s", 1, 16),
  N8("fan-in: 8 client envs in 4 JVMs, one ask at a time each", "asks/s", 8, 16),
  N64("fan-in: 64 client envs in 4 JVMs, one ask at a time each", "asks/s", 64, 16),
  N512("fan-in: 512 client envs in 4 JVMs, one ask at a time each", "asks/s", 512, 16),
  S1K("1 KiB byte[] asks, one at a time (echoed)", "MiB/s", 0, 1 << 10),
  S64K("64 KiB byte[] asks, one at a time (echoed)", "MiB/s", 0, 64 << 10),
  S1M("1 MiB byte[] asks, one at a time (echoed)", "MiB/s", 0, 1 << 20),
  S64M("64 MiB byte[] asks, one at a time (echoed)", "MiB/s", 0, 64 << 20),
  F1("fetch a 1 GiB file from the server's file server, plaintext", "MiB/s", 0, 0);

  private final String description;
  private final String unit;
  private final int clients;
  private final int size;

  Workload(String description, String unit, int clients, int size) {
    this.description = description;
    this.unit = unit;
    this.clients = clients;
    this.size = size;
  }

  public String description() {
    return description;
  }

  public String unit() {
    return unit;
  }

  /** For a fan-in workload, its client envs in all; else 0. */
  public int clients() {
    return clients;
  }

  /** The client JVMs a run starts: fan-in clients spread over at most four. */
  public int clientJvms() {
    return clients == 0 ? 1 : Math.min(4, clients);
  }

  /** The payload of each ask, in bytes (0 for object and file workloads). */
  public int size() {
    return size;
  }

  /** Whether the workload reports a latency histogram. */
  public boolean hasLatency() {
    return this == W1 || clients > 0;
  }
}
