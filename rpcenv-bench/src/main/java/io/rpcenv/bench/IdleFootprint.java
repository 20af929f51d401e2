package io.rpcenv.bench;

import io.netty.util.internal.PlatformDependent;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEnv;
import io.rpcenv.internal.transport.Protocol;
import io.rpcenv.testkit.HeapAfterGc;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The memory an idle server env spends per client connection: a server env in this JVM, and child
 * JVMs that open {@code n} connections (2,500 each at most) and complete the handshake on each (as
 * a client-mode env does, speaking the protocol of {@code io.rpcenv.internal.transport.Protocol}),
 * then stays silent. Heap after full GCs and Netty's direct memory are read before and after.
 */
public final class IdleFootprint {
  private IdleFootprint() {}

  /** What was measured. */
  record Footprint(
      int connections, long heapBytes, long directBytes, int threadsBefore, int threadsAfter) {
    String markdown() {
      return String.format(
          Locale.ROOT,
          "Idle server env with %,d handshaked client connections: heap +%,d bytes (%,d bytes per"
              + " connection, after full GCs), Netty direct memory +%,d bytes, threads %d before"
              + " and %d after.%n",
          connections,
          heapBytes,
          heapBytes / connections,
          directBytes,
          threadsBefore,
          threadsAfter);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("client")) {
      clients(Integer.parseInt(args[1]), Integer.parseInt(System.getProperty("footprint.port")));
      return;
    }
    System.out.print(
        measure(
                args.length > 0 ? Integer.parseInt(args[0]) : 1000,
                System.getProperty("java.class.path"))
            .markdown());
  }

  static Footprint measure(int n, String classpath) throws Exception {
    try (RpcEnv server =
        RpcEnv.create(
            "idle-server",
            "127.0.0.1",
            0,
            new RpcConf().set("spark.rpc.io.maxHandshakingConnections", String.valueOf(n)),
            null)) {
      server.setupEndpoint("idle", new io.rpcenv.RpcEndpoint() {});
      long heap0 = HeapAfterGc.measure(5);
      long direct0 = PlatformDependent.usedDirectMemory();
      int threads0 = Thread.activeCount();
      // Connections come from child JVMs of at most 2,500 each, as from many processes.
      List<Process> children = new ArrayList<>();
      try {
        for (int left = n; left > 0; left -= PER_CHILD) {
          children.add(child(Math.min(PER_CHILD, left), server.address().port(), classpath));
        }
        for (Process child : children) {
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
          String line = out.readLine();
          if (!"READY".equals(line)) {
            throw new IllegalStateException("a connecting JVM failed: " + line);
          }
        }
        long heap1 = HeapAfterGc.measure(5);
        long direct1 = PlatformDependent.usedDirectMemory();
        // -Dfootprint.holdMillis=N keeps the connections open N ms more, for jmap -histo:live.
        Thread.sleep(Long.getLong("footprint.holdMillis", 0));
        return new Footprint(n, heap1 - heap0, direct1 - direct0, threads0, Thread.activeCount());
      } finally {
        for (Process child : children) {
          child.getOutputStream().close();
        }
        for (Process child : children) {
          if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
          }
        }
      }
    }
  }

  private static final int PER_CHILD = 2500;

  private static Process child(int connections, int port, String classpath) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-Dfootprint.port=" + port,
            "-cp",
            classpath,
            IdleFootprint.class.getName(),
            "client",
            String.valueOf(connections))
        .redirectErrorStream(true)
        .start();
  }

  /**
   * Opens {@code n} connections, each handshaked as a client-mode env, prints READY, waits for
   * stdin to close.
   */
  private static void clients(int n, int port) throws IOException {
    List<Socket> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Socket s = new Socket("127.0.0.1", port);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(Protocol.MAGIC); // the preface
      out.writeByte(Protocol.VERSION);
      // HELLO: type, flags (client mode), env id, window in messages and in bytes
      out.writeInt(1 + 1 + 8 + 4 + 8);
      out.writeByte(1);
      out.writeByte(1);
      out.writeLong(ThreadLocalRandom.current().nextLong());
      out.writeInt(65_536);
      out.writeLong(4L << 20);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      in.readInt();
      in.readByte();
      byte[] hello = new byte[in.readInt()];
      in.readFully(hello);
      if (hello[0] != 1) {
        throw new IOException("expected the server's HELLO, got frame type " + hello[0]);
      }
      open.add(s);
    }
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // stay connected until the measuring JVM closes our input
    }
    for (Socket s : open) {
      s.close();
    }
  }
}
