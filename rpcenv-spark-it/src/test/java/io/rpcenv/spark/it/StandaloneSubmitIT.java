package io.rpcenv.spark.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
  private static final Duration RUN = Duration.ofSeconds(240);
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  private static SparkHome home;
  private static Map<String, String> env;
  private static ChildJvm master;
  private static ChildJvm worker;
  private static String masterUrl;

  /** A Master and a Worker with 2 cores, on a SPARK_HOME without rpcenv's jars. */
  @BeforeAll
  static void startCluster() throws Exception {
    home =
        SparkHome.create(
            TARGET.resolve("spark-home-standalone"),
            jar -> {
              String name = jar.getFileName().toString();
              return !name.startsWith("rpcenv-spark-") && !name.startsWith("rpcenv-examples-");
            });
    env =
        Map.of(
            "SPARK_HOME", home.path().toString(),
            "SPARK_SCALA_VERSION", "2.13",
            "SPARK_USER", "rpcenv-it");
    List<String> opts = SparkHome.sparkJvmOptions();
    master =
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
            "0");
    String line = master.awaitLine(l -> l.contains("Starting Spark master at spark://"), START);
    masterUrl = line.substring(line.indexOf("spark://")).trim();
    worker =
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
            masterUrl);
    worker.awaitLine(l -> l.contains("Successfully registered with master"), START);
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    if (master != null) {
      master.close();
    }
  }

  /** spark-submit options every application here takes: loopback, two one-core executors. */
  private static List<String> clusterOptions() {
    return List.of(
        "--master",
        masterUrl,
        "--deploy-mode",
        "client",
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
        "spark.executor.extraJavaOptions=-Dio.rpcenv.shaded.io.netty.leakDetection.level=paranoid");
  }

  private static Path adapterJar() {
    Path jar = SparkHome.classPathEntry("rpcenv-spark-[0-9].*\\.jar");
    assertThat(jar.toString())
        .as("the packaged (shaded) rpcenv-spark jar; run through mvn verify")
        .endsWith(".jar");
    return jar;
  }

  @Test
  void pluginsThatArriveOnlyThroughJarsTalkBothWays() throws Exception {
    Path appJar = appJar(TARGET.resolve("rpcenv-spark-it-app.jar"));
    List<String> submitOpts = new ArrayList<>(SparkHome.sparkJvmOptions());
    submitOpts.add("-Xmx512m");
    List<String> args = new ArrayList<>(clusterOptions());
    args.addAll(
        List.of(
            "--jars",
            adapterJar().toString(),
            "--conf",
            "spark.plugins=" + SparkApps.ADAPTER,
            "--conf",
            "spark.rpcenv.plugins=" + SparkApps.IT_PLUGIN + "," + SparkApps.SCALA_PLUGIN,
            "--class",
            "com.example.sparkit.ItApp",
            appJar.toString(),
            "2"));
    try (ChildJvm submit =
        ChildJvm.startOnClassPath(
            "spark-submit",
            home.classPath(),
            "org.apache.spark.deploy.SparkSubmit",
            submitOpts,
            env,
            args.toArray(String[]::new))) {
      assertThat(submit.waitFor(RUN)).as("spark-submit's exit code").isZero();
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
      List<String> logs = home.executorLogs(appId(out));
      assertThat(logs)
          .filteredOn(l -> l.contains("scala: the initial configuration is 10"))
          .hasSize(2);
      assertThat(logs).noneMatch(l -> l.contains("LEAK:"));
    }
  }

  /**
   * The README's copyable example, rpcenv-examples/spark/submit-demo.sh, as a user runs it. The
   * SPARK_HOME here is Maven Central's jars, not a Spark distribution, so its {@code
   * bin/spark-submit} is a stand-in that runs Spark's own SparkSubmit on them, as the
   * distribution's script does.
   */
  @Test
  void theSubmitDemoScriptRunsTheDemoPluginInAnApplicationThatKnowsNothingOfIt() throws Exception {
    Path script = TARGET.resolve("../../rpcenv-examples/spark/submit-demo.sh").normalize();
    Path examplesJar = SparkHome.classPathEntry("rpcenv-examples-[0-9].*\\.jar");
    writeSparkSubmit(home.path().resolve("bin/spark-submit"));
    Map<String, String> scriptEnv = new HashMap<>(env);
    scriptEnv.put("RPCENV_SPARK_JAR", adapterJar().toString());
    scriptEnv.put("RPCENV_EXAMPLES_JAR", examplesJar.toString());
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(clusterOptions());
    try (ChildJvm submit = ChildJvm.startScript("submit-demo", command, scriptEnv)) {
      assertThat(submit.waitFor(RUN)).as("submit-demo.sh's exit code").isZero();
      List<String> out = submit.lines();
      assertThat(out).contains("the job counted 500 even numbers");
      assertThat(out).filteredOn(l -> l.equals("the final value is 100")).hasSize(2);
      assertThat(home.executorLogs(appId(out)))
          .filteredOn(l -> l.contains("the initial configuration is 10"))
          .hasSize(2);
    }
  }

  @Test
  void theSubmitDemoScriptWithoutSparkHomeSaysWhatToSet() throws Exception {
    Path script = TARGET.resolve("../../rpcenv-examples/spark/submit-demo.sh").normalize();
    try (ChildJvm submit =
        ChildJvm.startScript(
            "submit-demo", List.of("bash", script.toString()), Map.of("SPARK_HOME", ""))) {
      assertThat(submit.waitFor(START)).isEqualTo(2);
      assertThat(submit.lines())
          .containsExactly(
              "submit-demo.sh: set SPARK_HOME to a Spark 4.0 installation (one with"
                  + " bin/spark-submit)");
    }
  }

  /** Spark's launcher script, reduced to what it does here: SparkSubmit on SPARK_HOME's jars. */
  private static void writeSparkSubmit(Path file) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> opts = new ArrayList<>(SparkHome.sparkJvmOptions());
    opts.add("-Xmx512m");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "#!/usr/bin/env bash\n"
            + "exec '"
            + java
            + "' "
            + String.join(" ", opts)
            + " -cp \"$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The application id the driver printed (ItApp and DemoSparkApp print it). */
  private static String appId(List<String> out) {
    return out.stream()
        .filter(l -> l.startsWith("application app-") || l.startsWith("IT application app-"))
        .map(l -> l.substring(l.indexOf("app-")).trim())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no application id in " + out));
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
