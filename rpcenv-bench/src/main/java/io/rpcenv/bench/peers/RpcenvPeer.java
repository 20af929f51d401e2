package io.rpcenv.bench.peers;

import io.rpcenv.InlineRpcEndpoint;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.ThreadSafeRpcEndpoint;
import io.rpcenv.bench.harness.BenchClient;
import io.rpcenv.bench.harness.BenchServer;
import io.rpcenv.bench.harness.PeerFactory;
import io.rpcenv.bench.harness.Workloads;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * rpcenv: a server-mode env with echo endpoints, a client-mode env asking them. The endpoints are
 * plain ones, handled on dispatcher threads, as users get them by default; with {@code
 * -Dbench.rpcenv.inline=true} they are {@link InlineRpcEndpoint}s (handled on the I/O thread).
 */
public final class RpcenvPeer implements PeerFactory {
  private static final boolean DISPATCH = !Boolean.getBoolean("bench.rpcenv.inline");

  @Override
  public String name() {
    String mode = System.getProperty("bench.rpcenv.ioMode");
    return (DISPATCH ? "rpcenv" : "rpcenv (inline)") + (mode == null ? "" : " " + mode);
  }

  static final class InlineEcho extends RpcEndpoint implements InlineRpcEndpoint {
    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(message);
    }
  }

  static final class DispatchedEcho extends RpcEndpoint {
    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(message);
    }
  }

  /**
   * Counts one-way messages; an ask answers the count after those sent before it (FIFO per
   * connection).
   */
  static class Counter extends RpcEndpoint {
    final AtomicLong count = new AtomicLong();

    @Override
    public void receive(Object message) {
      count.incrementAndGet();
    }

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(count.get());
    }
  }

  static final class InlineCounter extends Counter implements InlineRpcEndpoint {}

  static final class OrderedCounter extends Counter implements ThreadSafeRpcEndpoint {}

  /**
   * Default settings, overlaid with {@code RPCENV_BENCH_CONF} ("key=value,key=value"), so that a
   * setting can be tried in both JVMs of a run without a rebuild.
   */
  static RpcConf conf() {
    // W7's messages are a user's classes: admitted by the allow-list, as a user's would be.
    RpcConf conf = new RpcConf().set("spark.rpc.serializer.allowList", "com.example.bench.*");
    String mode = System.getProperty("bench.rpcenv.ioMode"); // the rpcenv-io_uring system
    if (mode != null) {
      conf.set("spark.rpc.io.mode", mode);
    }
    set(conf, System.getProperty("bench.conf"), ";", "-Dbench.conf"); // a system's settings
    set(conf, System.getenv("RPCENV_BENCH_CONF"), ",", "RPCENV_BENCH_CONF");
    return conf;
  }

  private static void set(RpcConf conf, String pairs, String separator, String source) {
    if (pairs == null || pairs.isBlank()) {
      return;
    }
    for (String kv : pairs.split(separator, -1)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(source + ": not key=value: " + kv);
      }
      conf.set(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
  }

  @Override
  public BenchServer server(int endpoints) {
    RpcEnv env = RpcEnv.create(RpcEnvConfig.builder("bench-server").conf(conf()).build());
    for (int i = 0; i < endpoints; i++) {
      env.setupEndpoint("e" + i, DISPATCH ? new DispatchedEcho() : new InlineEcho());
    }
    env.setupEndpoint("counter", DISPATCH ? new OrderedCounter() : new InlineCounter());
    String file = System.getProperty("bench.file");
    if (file != null) {
      env.fileServer().addFile(java.nio.file.Path.of(file));
    }
    return BenchServer.of(env.address().port(), env::close);
  }

  @Override
  public BenchClient client(int port, int endpoints) {
    RpcEnv env =
        RpcEnv.create(RpcEnvConfig.builder("bench-client").conf(conf()).clientMode(true).build());
    RpcEndpointRef[] refs = new RpcEndpointRef[endpoints];
    io.rpcenv.RpcAddress server = new io.rpcenv.RpcAddress("127.0.0.1", port);
    for (int i = 0; i < endpoints; i++) {
      refs[i] = env.setupEndpointRef(server, "e" + i);
    }
    RpcEndpointRef counter = env.setupEndpointRef(server, "counter");
    return new BenchClient() {
      @Override
      public byte[] ask(int endpoint, byte[] payload) {
        return refs[endpoint].askSync(payload);
      }

      @Override
      public void askAsync(int endpoint, byte[] payload, BiConsumer<byte[], Throwable> done) {
        refs[endpoint]
            .<byte[]>ask(payload)
            .whenComplete(
                (r, e) ->
                    done.accept(
                        r,
                        e instanceof CompletionException && e.getCause() != null
                            ? e.getCause()
                            : e));
      }

      @Override
      public void askObjectAsync(Object message, BiConsumer<Object, Throwable> done) {
        refs[0]
            .ask(message)
            .whenComplete(
                (r, e) ->
                    done.accept(
                        r,
                        e instanceof CompletionException && e.getCause() != null
                            ? e.getCause()
                            : e));
      }

      @Override
      public void send(byte[] payload) {
        counter.send(payload);
      }

      @Override
      public long count() {
        return counter.<Long>askSync("count");
      }

      @Override
      public long fetchFile() throws Exception {
        return Workloads.drain(
            env.openChannel("spark://127.0.0.1:" + port + "/files/" + Workloads.FILE_NAME));
      }

      @Override
      public void close() {
        env.close();
      }
    };
  }
}
