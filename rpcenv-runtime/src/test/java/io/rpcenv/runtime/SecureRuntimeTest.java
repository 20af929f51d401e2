package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rpcenv.RpcAuthenticationException;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEnv;
import io.rpcenv.TestEnvs;
import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.runtime.internal.Messages;
import io.rpcenv.runtime.internal.Settings;
import io.rpcenv.testkit.Journal;
import io.rpcenv.testkit.Resources;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The runtime with authentication and TLS: secrets travel only where they must. */
class SecureRuntimeTest {
  @RegisterExtension final Resources resources = new Resources();

  @BeforeEach
  void reset() {
    Journal.reset();
  }

  private static RpcConf authenticated() {
    return new RpcConf()
        .set("spark.ui.port", "0")
        .set("spark.authenticate", "true")
        .set("spark.plugins", RuntimeTestPlugin.class.getName())
        .set("spark.rpc.askTimeout", "20s");
  }

  @Test
  void localExecutorsGetAGeneratedSecretThroughTheEnvironmentNeverTheCommandLine()
      throws Exception {
    assumeTrue(
        Files.isReadable(Path.of("/proc/self/cmdline")),
        "needs Linux /proc to read a child's command line");
    Driver driver = resources.add(Driver.start(authenticated()));
    String secret = driver.secretForLocalExecutors();
    assertThat(secret).isNotBlank();
    LocalExecutors local = driver.startLocalExecutors(1);
    assertThat(driver.awaitExecutors(1, Duration.ofSeconds(90))).isTrue();
    long pid = local.processes().get(0).pid();
    String cmdline =
        Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.ISO_8859_1);
    String environ =
        Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
    assertThat(cmdline).doesNotContain(secret).doesNotContain("secret");
    assertThat(environ).contains("_SPARK_AUTH_SECRET=" + secret);
    String confVar =
        java.util.Arrays.stream(environ.split("\0"))
            .filter(v -> v.startsWith(LocalExecutors.CONF_ENV + "="))
            .findFirst()
            .orElseThrow();
    Map<String, String> inherited =
        Settings.decode(confVar.substring(LocalExecutors.CONF_ENV.length() + 1));
    assertThat(inherited)
        .containsEntry("spark.authenticate", "true")
        .doesNotContainKey("spark.authenticate.secret");
  }

  @Test
  void theConfExecutorsFetchCarriesNoSecretsOrPasswords() {
    RpcConf conf =
        authenticated()
            .set("spark.authenticate.secret", "top")
            .set("spark.ssl.rpc.keyStorePassword", "pw")
            .set("custom.secret.token", "x");
    Driver driver = resources.add(Driver.start(conf));
    RpcEnv client =
        new TestEnvs(resources)
            .client(
                "fetcher",
                new RpcConf()
                    .set("spark.authenticate", "true")
                    .set("spark.authenticate.secret", "top"));
    Messages.AppConf app =
        client.setupEndpointRefByURI(driver.url()).askSync(new Messages.FetchConf("probe"));
    assertThat(app.settings())
        .containsEntry("spark.authenticate", "true")
        .doesNotContainKeys(
            "spark.authenticate.secret", "spark.ssl.rpc.keyStorePassword", "custom.secret.token");
  }

  @Test
  void anExecutorWithoutTheSecretCannotJoin() {
    Driver driver =
        resources.add(Driver.start(authenticated().set("spark.authenticate.secret", "right")));
    assertThatThrownBy(() -> Executor.start(new RpcConf(), driver.url(), "intruder"))
        .isInstanceOf(RpcAuthenticationException.class);
    assertThatThrownBy(
            () ->
                Executor.start(
                    new RpcConf()
                        .set("spark.authenticate", "true")
                        .set("spark.authenticate.secret", "wrong"),
                    driver.url(),
                    "guesser"))
        .isInstanceOf(RpcAuthenticationException.class);
    assertThat(driver.executors()).isEmpty();
  }

  @Test
  void tlsKeygenMakesAWorkingTestCluster(@TempDir Path dir) throws Exception {
    assertThat(
            RpcenvCli.run(
                "tls-keygen", "--dir", dir.resolve("tls").toString(), "--host", "node1.example"))
        .isZero();
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("tls/rpcenv-tls.conf"))) {
      p.load(r);
    }
    RpcConf tls = new RpcConf().set("spark.ui.port", "0");
    p.stringPropertyNames().forEach(k -> tls.set(k, p.getProperty(k)));
    assertThat(tls.get("spark.ssl.rpc.enabled")).isEqualTo("true");
    Driver driver =
        resources.add(
            Driver.start(tls.copy().set("spark.plugins", RuntimeTestPlugin.class.getName())));
    Executor executor = Executor.start(tls.copy(), driver.url(), "tls-1");
    resources.add(
        () -> {
          executor.stop(ExitCode.STOPPED, "test over");
          executor.exit().get(30, TimeUnit.SECONDS);
        });
    assertThat(driver.awaitExecutors(1, Duration.ofSeconds(30))).isTrue();
    assertThat(Journal.await("executor-init:tls-1")).isNotNull();
    // a plaintext executor cannot join this cluster
    assertThatThrownBy(
            () ->
                Executor.start(
                    new RpcConf().set("spark.rpc.numRetries", "0"), driver.url(), "plain"))
        .isInstanceOf(io.rpcenv.RpcConnectionException.class);
  }
}
