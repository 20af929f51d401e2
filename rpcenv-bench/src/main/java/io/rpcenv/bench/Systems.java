package io.rpcenv.bench;

import static io.rpcenv.bench.harness.Workload.F1;
import static io.rpcenv.bench.harness.Workload.W1;
import static io.rpcenv.bench.harness.Workload.W2;
import static io.rpcenv.bench.harness.Workload.W3;
import static io.rpcenv.bench.harness.Workload.W4;
import static io.rpcenv.bench.harness.Workload.W5;
import static io.rpcenv.bench.harness.Workload.W6;
import static io.rpcenv.bench.harness.Workload.W7C;
import static io.rpcenv.bench.harness.Workload.W7R;

import io.rpcenv.bench.harness.Peer;
import io.rpcenv.bench.harness.Workload;
import io.rpcenv.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The systems a run can measure, by the key {@code --systems} names them with. "rpcenv" is what a
 * user gets by default (plain endpoints, handled on dispatcher threads); "rpcenv-inline" uses
 * {@code InlineRpcEndpoint}s. The TLS systems share a key pair made for the run.
 */
final class Systems {
  private Systems() {}

  /** The fan-in sweep and the message-size sweep. */
  static final EnumSet<Workload> SWEEPS =
      EnumSet.of(
          Workload.N1,
          Workload.N8,
          Workload.N64,
          Workload.N512,
          Workload.S1K,
          Workload.S64K,
          Workload.S1M,
          Workload.S64M);

  /** Systems left out of a run that does not name them: measured once, on request since. */
  static boolean onRequestOnly(String key) {
    return key.contains("io_uring");
  }

  static Map<String, Peer> all(String benchCp, String sparkCp, Versions v) throws Exception {
    Tls tls = Tls.make();
    String secret = UUID.randomUUID().toString();
    EnumSet<Workload> classic = EnumSet.of(W1, W2, W3, W4, W5, W6);
    EnumSet<Workload> everything = EnumSet.allOf(Workload.class);
    Map<String, Peer> m = new LinkedHashMap<>();
    m.put("rpcenv", rpcenv("rpcenv", benchCp, List.of(), everything));
    m.put(
        "rpcenv-inline",
        rpcenv("rpcenv (inline)", benchCp, List.of("-Dbench.rpcenv.inline=true"), withW7(classic)));
    m.put(
        "rpcenv-io_uring",
        rpcenv(
            "rpcenv io_uring",
            benchCp,
            List.of("-Dbench.rpcenv.ioMode=io_uring"),
            EnumSet.of(W1, W2, W4)));
    m.put(
        "rpcenv-inline-io_uring",
        rpcenv(
            "rpcenv (inline) io_uring",
            benchCp,
            List.of("-Dbench.rpcenv.inline=true", "-Dbench.rpcenv.ioMode=io_uring"),
            EnumSet.of(W1, W2, W4)));
    m.put(
        "rpcenv-tls",
        rpcenv("rpcenv TLS", benchCp, List.of(tls.rpcenv("auto")), EnumSet.of(W1, W2, W4, F1)));
    m.put(
        "rpcenv-tls-jdk",
        rpcenv("rpcenv TLS (JDK engine)", benchCp, List.of(tls.rpcenv("jdk")), EnumSet.of(W2, W4)));
    m.put(
        "rpcenv-auth",
        rpcenv(
            "rpcenv auth",
            benchCp,
            List.of("-Dbench.conf=spark.authenticate=true;spark.authenticate.secret=" + secret),
            EnumSet.of(W1, W2)));
    m.put(
        "rpcenv-kryo",
        rpcenv(
            "rpcenv Kryo",
            benchCp,
            List.of("-Dbench.conf=spark.rpc.serializer=kryo"),
            EnumSet.of(W7R, W7C)));
    EnumSet<Workload> spark = EnumSet.allOf(Workload.class);
    m.put(
        "spark",
        new Peer(
            "Spark " + v.spark(),
            "io.rpcenv.bench.spark.SparkPeer",
            sparkCp,
            BenchMain.SPARK_JVM_OPTIONS,
            spark));
    List<String> sparkTls = new ArrayList<>(BenchMain.SPARK_JVM_OPTIONS);
    sparkTls.addAll(tls.spark());
    m.put(
        "spark-tls",
        new Peer(
            "Spark " + v.spark() + " TLS",
            "io.rpcenv.bench.spark.SparkPeer",
            sparkCp,
            sparkTls,
            EnumSet.of(W2, W4)));
    m.put(
        "grpc",
        new Peer(
            "gRPC " + v.grpc(),
            "io.rpcenv.bench.peers.GrpcPeer",
            benchCp,
            List.of(),
            EnumSet.of(W1, W2, W3, W4, W5)));
    EnumSet<Workload> netty = EnumSet.of(W1, W2, W3, W4, W5, F1);
    netty.addAll(SWEEPS);
    m.put(
        "netty",
        new Peer(
            "raw Netty " + v.netty().replace(".Final", ""),
            "io.rpcenv.bench.peers.NettyPeer",
            benchCp,
            List.of(),
            netty));
    return m;
  }

  private static EnumSet<Workload> withW7(EnumSet<Workload> s) {
    EnumSet<Workload> r = EnumSet.copyOf(s);
    r.add(W7R);
    r.add(W7C);
    return r;
  }

  static Peer rpcenv(String label, String cp, List<String> options, EnumSet<Workload> w) {
    return new Peer(label, "io.rpcenv.bench.peers.RpcenvPeer", cp, options, w);
  }

  /** A key pair and trust store for the run, and the settings that use them. */
  record Tls(Path keyStore, Path trustStore) {
    static Tls make() throws Exception {
      Path dir = Files.createTempDirectory("rpcenv-bench-tls");
      dir.toFile().deleteOnExit();
      TestCertificates certs = new TestCertificates(dir);
      TestCertificates.Authority ca = certs.authority("bench-ca");
      Tls t = new Tls(certs.identity("bench", ca).keyStore(), certs.trustStore("trust", ca));
      t.keyStore().toFile().deleteOnExit();
      t.trustStore().toFile().deleteOnExit();
      return t;
    }

    /** rpcenv's settings, TLS by {@code engine}, as one JVM option. */
    String rpcenv(String engine) {
      return "-Dbench.conf=spark.ssl.rpc.enabled=true;spark.ssl.rpc.engine="
          + engine
          + ";spark.ssl.rpc.keyStore="
          + keyStore
          + ";spark.ssl.rpc.keyStorePassword="
          + TestCertificates.PASSWORD
          + ";spark.ssl.rpc.trustStore="
          + trustStore
          + ";spark.ssl.rpc.trustStorePassword="
          + TestCertificates.PASSWORD;
    }

    /** Spark 4.0's RPC TLS settings, as the system properties its SparkConf reads. */
    List<String> spark() {
      return List.of(
          "-Dspark.ssl.rpc.enabled=true",
          "-Dspark.ssl.rpc.keyStore=" + keyStore,
          "-Dspark.ssl.rpc.keyStorePassword=" + TestCertificates.PASSWORD,
          "-Dspark.ssl.rpc.keyPassword=" + TestCertificates.PASSWORD,
          "-Dspark.ssl.rpc.trustStore=" + trustStore,
          "-Dspark.ssl.rpc.trustStorePassword=" + TestCertificates.PASSWORD);
    }
  }
}
