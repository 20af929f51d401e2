package io.rpcenv.spark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.SparkConf;

/** What the Spark tests share: an application's settings, and the driver's printed output. */
final class SparkApps {
  static final String ADAPTER = "io.rpcenv.spark.RpcenvSparkPlugin";
  static final String IT_PLUGIN = "com.example.sparkit.ItPlugin";
  static final String DEMO_PLUGIN = "io.rpcenv.examples.plugin.DemoPlugin";
  static final String SCALA_PLUGIN = "com.example.scalait.ScalaDemoPlugin";

  private SparkApps() {}

  /**
   * An application on {@code master} running the adapter with {@code rpcenvPlugins}, on loopback,
   * without the UI, with the test classes on the executors' class path.
   */
  static SparkConf conf(String master, String rpcenvPlugins) {
    Path testClasses =
        SparkHome.testClassPath().stream()
            .filter(p -> p.endsWith("test-classes"))
            .findFirst()
            .orElseThrow();
    return new SparkConf()
        .setMaster(master)
        .setAppName("rpcenv-spark-it")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.plugins", ADAPTER)
        .set("spark.rpcenv.plugins", rpcenvPlugins)
        .set("spark.executor.extraClassPath", testClasses.toString())
        .set(
            "spark.executor.extraJavaOptions",
            "-Dio.rpcenv.shaded.io.netty.leakDetection.level=paranoid")
        .set("spark.task.maxFailures", "1");
  }

  /** Copies what this JVM prints to stdout while it is open, and gives it back. */
  static final class CapturedStdout implements AutoCloseable {
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    CapturedStdout() {
      PrintStream original = this.original;
      System.setOut(
          new PrintStream(
              new OutputStream() {
                @Override
                public void write(int b) {
                  original.write(b);
                  synchronized (copy) {
                    copy.write(b);
                  }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  original.write(b, off, len);
                  synchronized (copy) {
                    copy.write(b, off, len);
                  }
                }
              },
              true,
              StandardCharsets.UTF_8));
    }

    String text() {
      synchronized (copy) {
        return copy.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.setOut(original);
    }
  }

  /** Asserts that the driver's leak detector and the executors' logs report no leak. */
  static void assertNoLeaks(SparkHome home) {
    assertThat(ShadedLeakDetector.reports()).as("leaks in the driver").isEmpty();
    assertThat(home.executorLogs()).as("executor logs").noneMatch(log -> log.contains("LEAK:"));
  }
}
