package io.rpcenv.spark.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The way users deploy: a standalone Master and Worker as processes of their own, and {@code
 * spark-submit} with the adapter and the plugin only in {@code --jars} and the application jar.
 * Spark's processes run on a SPARK_HOME without either, so the executors can load the plugin, its
 * messages and the adapter only from the jars Spark fetched for them, in their own class loader,
 * which local-cluster's shared class path hides.
 */
class StandaloneSubmitIT {
  private static final Duration START = Duration.ofSeconds(60);

  @Test
  void pluginsThatArriveOnlyThroughJarsTalkBothWays() throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    SparkHome home =
        SparkHome.create(
            target.resolve("spark-home-standalone"),
            jar -> {
              String name = jar.getFileName().toString();
              return !name.startsWith("rpcenv-spark-") && !name.startsWith("rpcenv-examples-");
            });
    Path adapterJar = SparkHome.classPathEntry("rpcenv-spark-[0-9].*\\.jar");
    assertThat(adapterJar.toString())
        .as("the packaged (shaded) rpcenv-spark jar; run through mvn verify")
        .endsWith(".jar");
    Path appJar = appJar(target.resolve("rpcenv-spark-it-app.jar"));
    Map<String, String> env =
        Map.of(
            "SPARK_HOME", home.path().toString(),
            "SPARK_SCALA_VERSION", "2.13",
            "SPARK_USER", "rpcenv-it");
    List<String> opts = SparkHome.sparkJvmOptions();
    try (ChildJvm master =
        ChildJvm.startOnClassPath(
            "master",
            home.classPath(),
            "org.apache.spark.deploy.master.Master",
            opts,
            env,
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--webui-port",
            "0")) {
      String line = master.awaitLine(l -> l.contains("Starting Spark master at spark://"), START);
      String masterUrl = line.substring(line.indexOf("spark://")).trim();
      try (ChildJvm worker =
          ChildJvm.startOnClassPath(
              "worker",
              home.classPath(),
              "org.apache.spark.deploy.worker.Worker",
              opts,
              env,
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--webui-port",
              "0",
              "--cores",
              "2",
              "--memory",
              "2g",
              "--work-dir",
              home.path().resolve("work").toString(),
              masterUrl)) {
        worker.awaitLine(l -> l.contains("Successfully registered with master"), START);
        List<String> submitOpts = new ArrayList<>(opts);
        submitOpts.add("-Xmx512m");
        try (ChildJvm submit =
            ChildJvm.startOnClassPath(
                "spark-submit",
                home.classPath(),
                "org.apache.spark.deploy.SparkSubmit",
                submitOpts,
                env,
                "--master",
                masterUrl,
                "--deploy-mode",
                "client",
                "--jars",
                adapterJar.toString(),
                "--conf",
                "spark.plugins=" + SparkApps.ADAPTER,
                "--conf",
                "spark.rpcenv.plugins=" + SparkApps.IT_PLUGIN + "," + SparkApps.SCALA_PLUGIN,
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.cores.max=2",
                "--conf",
                "spark.executor.memory=512m",
                "--conf",
                "spark.executor.extraJavaOptions=-Dio.rpcenv.shaded.io.netty.leakDetection.level=paranoid",
                "--class",
                "com.example.sparkit.ItApp",
                appJar.toString(),
                "2")) {
          assertThat(submit.waitFor(Duration.ofSeconds(240)))
              .as("spark-submit's exit code")
              .isZero();
          List<String> out = submit.lines();
          List<String> findings = new ArrayList<>();
          for (String l : out) {
            if (l.startsWith("IT ")) {
              findings.add(l.substring(3));
            }
          }
          LocalClusterIT.assertConversation(findings, 2);
          assertThat(findings).contains("driver plugin shut down true");
          assertThat(out).filteredOn(l -> l.equals("scala: the final value is 100")).hasSize(2);
          assertThat(out).noneMatch(l -> l.contains("LEAK:"));
        }
        List<String> logs = home.executorLogs();
        assertThat(logs)
            .filteredOn(l -> l.contains("scala: the initial configuration is 10"))
            .hasSize(2);
        assertThat(logs).noneMatch(l -> l.contains("LEAK:"));
      }
    }
  }

  /** The application jar: the test plugins, their messages and the application, nothing else. */
  private static Path appJar(Path jar) throws IOException {
    Path classes =
        SparkHome.testClassPath().stream()
            .filter(p -> p.endsWith("test-classes"))
            .findFirst()
            .orElseThrow();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> all = Files.walk(classes.resolve("com"))) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p)) {
          out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
          Files.copy(p, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }
}
