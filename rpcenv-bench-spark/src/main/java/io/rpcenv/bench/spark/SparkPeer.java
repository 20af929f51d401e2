package io.rpcenv.bench.spark;

import io.rpcenv.bench.harness.BenchClient;
import io.rpcenv.bench.harness.BenchServer;
import io.rpcenv.bench.harness.PeerFactory;
import io.rpcenv.bench.harness.Workloads;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpoint;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import scala.Option;
import scala.PartialFunction;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * Apache Spark 4.0's own RpcEnv (NettyRpcEnv), as Spark's driver and executors use it: a
 * server-mode env with echo endpoints, a client-mode env asking them, its default settings.
 */
public final class SparkPeer implements PeerFactory {
  private static final ClassTag<byte[]> BYTES = ClassTag$.MODULE$.apply(byte[].class);
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

  static {
    Configurator.setRootLevel(Level.WARN);
  }

  @Override
  public String name() {
    return "Spark 4.0.4";
  }

  private static RpcEnv env(String name, boolean clientMode) {
    SparkConf conf = new SparkConf();
    return RpcEnv.create(
        name, "127.0.0.1", 0, conf, new SecurityManager(conf, Option.empty(), null), clientMode);
  }

  /** A Spark partial function that handles everything with {@code f}. */
  private static PartialFunction<Object, BoxedUnit> always(Consumer<Object> f) {
    return new AbstractPartialFunction<>() {
      @Override
      public boolean isDefinedAt(Object x) {
        return true;
      }

      @Override
      public <A1, B1> B1 applyOrElse(A1 x, scala.Function1<A1, B1> fallback) {
        f.accept(x);
        @SuppressWarnings("unchecked")
        B1 unit = (B1) BoxedUnit.UNIT;
        return unit;
      }
    };
  }

  static final class Echo implements RpcEndpoint {
    private final RpcEnv env;

    Echo(RpcEnv env) {
      this.env = env;
    }

    @Override
    public RpcEnv rpcEnv() {
      return env;
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
      return always(context::reply);
    }
  }

  static final class Counter implements ThreadSafeRpcEndpoint {
    private final RpcEnv env;
    private final AtomicLong count = new AtomicLong();

    Counter(RpcEnv env) {
      this.env = env;
    }

    @Override
    public RpcEnv rpcEnv() {
      return env;
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receive() {
      return always(m -> count.incrementAndGet());
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
      return always(m -> context.reply(count.get()));
    }
  }

  @Override
  public BenchServer server(int endpoints) {
    RpcEnv env = env("bench-server", false);
    for (int i = 0; i < endpoints; i++) {
      env.setupEndpoint("e" + i, new Echo(env));
    }
    env.setupEndpoint("counter", new Counter(env));
    String file = System.getProperty("bench.file");
    if (file != null) {
      env.fileServer().addFile(new java.io.File(file));
    }
    return BenchServer.of(
        env.address().port(),
        () -> {
          env.shutdown();
          env.awaitTermination();
        });
  }

  @Override
  public BenchClient client(int port, int endpoints) {
    RpcEnv env = env("bench-client", true);
    RpcAddress server = new RpcAddress("127.0.0.1", port);
    RpcEndpointRef[] refs = new RpcEndpointRef[endpoints];
    for (int i = 0; i < endpoints; i++) {
      refs[i] = env.setupEndpointRef(server, "e" + i);
    }
    RpcEndpointRef counter = env.setupEndpointRef(server, "counter");
    return new BenchClient() {
      @Override
      public byte[] ask(int endpoint, byte[] payload) {
        return refs[endpoint].askSync(payload, BYTES);
      }

      @Override
      public void askAsync(int endpoint, byte[] payload, BiConsumer<byte[], Throwable> done) {
        refs[endpoint]
            .ask(payload, BYTES)
            .onComplete(
                new AbstractFunction1<Try<byte[]>, BoxedUnit>() {
                  @Override
                  public BoxedUnit apply(Try<byte[]> t) {
                    if (t.isSuccess()) {
                      done.accept(t.get(), null);
                    } else {
                      done.accept(null, t.failed().get());
                    }
                    return BoxedUnit.UNIT;
                  }
                },
                scala.concurrent.ExecutionContext.parasitic$.MODULE$);
      }

      @Override
      public void askObjectAsync(Object message, BiConsumer<Object, Throwable> done) {
        refs[0]
            .ask(message, ANY)
            .onComplete(
                new AbstractFunction1<Try<Object>, BoxedUnit>() {
                  @Override
                  public BoxedUnit apply(Try<Object> t) {
                    if (t.isSuccess()) {
                      done.accept(t.get(), null);
                    } else {
                      done.accept(null, t.failed().get());
                    }
                    return BoxedUnit.UNIT;
                  }
                },
                scala.concurrent.ExecutionContext.parasitic$.MODULE$);
      }

      @Override
      public void send(byte[] payload) {
        counter.send(payload);
      }

      @Override
      public long count() {
        return (Long) counter.askSync("count", ANY);
      }

      @Override
      public long fetchFile() throws Exception {
        return Workloads.drain(
            env.openChannel("spark://127.0.0.1:" + port + "/files/" + Workloads.FILE_NAME));
      }

      @Override
      public void close() {
        env.shutdown();
        env.awaitTermination();
      }
    };
  }
}
