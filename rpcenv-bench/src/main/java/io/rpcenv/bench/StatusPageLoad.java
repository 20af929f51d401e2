package io.rpcenv.bench;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.Executor;
import io.rpcenv.runtime.ExitCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Does a busy status page slow RPC? A driver (status page on) with one executor, and a client env
 * asking an echo endpoint on the driver one ask at a time (as W1), measured in rounds that
 * alternate between no HTTP load and {@code rate} requests a second to the page's documents (the
 * page itself, its API documents and /metrics, in turn) from two HTTP client threads, all in this
 * JVM on 127.0.0.1.
 *
 * <pre>./bench.sh status-page [rate] [rounds] [measure-ms]</pre>
 */
public final class StatusPageLoad {
  private StatusPageLoad() {}

  private static final List<String> PATHS =
      List.of(
          "",
          "api/v1/application",
          "api/v1/executors",
          "api/v1/endpoints",
          "api/v1/connections",
          "api/v1/plugins",
          "api/v1/history",
          "metrics");

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long measureMs = args.length > 2 ? Long.parseLong(args[2]) : 5000;
    RpcConf conf = new RpcConf().set("spark.ui.port", "0").set("spark.app.name", "bench");
    try (Driver driver = Driver.start(conf)) {
      driver.rpcEnv().setupEndpoint("echo", new Echo());
      Executor executor = Executor.start(new RpcConf(), driver.url(), "1");
      RpcEnv client =
          RpcEnv.create(
              RpcEnvConfig.builder("bench-client").clientMode(true).conf(new RpcConf()).build());
      try {
        RpcEndpointRef echo = client.setupEndpointRef(driver.address(), "echo");
        String base = driver.statusPageUrl().orElseThrow();
        measure(echo, 2000, base, rate, PATHS); // warm-up, the HTTP client's too
        System.out.printf(
            Locale.ROOT, "| round | HTTP load | asks/s | p50 µs | p99 µs | HTTP req/s served |%n");
        System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|%n");
        for (int r = 1; r <= rounds; r++) {
          for (String load : new String[] {"none", "404", "page"}) {
            String[] row =
                measure(
                    echo,
                    measureMs,
                    load.equals("none") ? null : base,
                    rate,
                    load.equals("404") ? List.of("nothing-here") : PATHS);
            String what =
                load.equals("none")
                    ? "none"
                    : rate
                        + " req/s "
                        + (load.equals("404") ? "to a 404 path" : "to the page's documents");
            System.out.printf(Locale.ROOT, "| %d | %s | %s |%n", r, what, String.join(" | ", row));
          }
        }
      } finally {
        client.close();
        executor.stop(ExitCode.STOPPED, "benchmark over");
        executor.exit().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Asks for {@code ms}, with HTTP load on {@code base} at {@code rate} unless base is null. */
  private static String[] measure(
      RpcEndpointRef echo, long ms, String base, int rate, List<String> paths) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong served = new AtomicLong();
    Thread[] loaders = new Thread[base == null ? 0 : 2];
    // The page's documents and a 404 path, in turn; the 404 rounds show the cost of the HTTP
    // client and server themselves, this JVM's load generator included.
    for (int t = 0; t < loaders.length; t++) {
      int offset = t;
      loaders[t] =
          new Thread(() -> load(base, paths, rate / loaders.length, offset, running, served));
      loaders[t].start();
    }
    Histogram h = new Histogram(3);
    byte[] payload = new byte[16];
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    long start = System.nanoTime();
    long n = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      echo.askSync(payload);
      h.recordValue((System.nanoTime() - t0) / 1000);
      n++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    running.set(false);
    for (Thread t : loaders) {
      t.join();
    }
    return new String[] {
      String.format(Locale.ROOT, "%,.0f", n / seconds),
      String.valueOf(h.getValueAtPercentile(50)),
      String.valueOf(h.getValueAtPercentile(99)),
      base == null ? "–" : String.format(Locale.ROOT, "%,.0f", served.get() / seconds)
    };
  }

  /** Requests at {@code rate} a second, paced, until told to stop. */
  private static void load(
      String base,
      List<String> paths,
      int rate,
      int offset,
      AtomicBoolean running,
      AtomicLong served) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long every = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
    long next = System.nanoTime();
    for (int i = offset; running.get(); i++) {
      long now = System.nanoTime();
      if (now < next) {
        java.util.concurrent.locks.LockSupport.parkNanos(next - now); // pacing, not a guess
        continue;
      }
      next += every;
      try {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + paths.get(i % paths.size()))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200 || r.statusCode() == 404) {
          served.incrementAndGet();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Answers with what it was sent. */
  private static final class Echo extends io.rpcenv.RpcEndpoint {
    @Override
    public void receiveAndReply(Object message, io.rpcenv.RpcCallContext context) {
      context.reply(message);
    }
  }
}
