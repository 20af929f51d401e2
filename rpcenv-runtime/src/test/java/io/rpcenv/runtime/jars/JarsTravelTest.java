package io.rpcenv.runtime.jars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.internal.files.FileProbe;
import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.Executor;
import io.rpcenv.runtime.ExitCode;
import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.runtime.fixtures.PluginJar;
import io.rpcenv.runtime.internal.ApplicationJars;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars given to the driver reach executors that have nothing but rpcenv. */
class JarsTravelTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @RegisterExtension final Resources resources = new Resources();
  @TempDir Path dir;

  private static List<Path> filesIn(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void anExecutorWithoutThePluginOnItsClassPathRunsItFromTheDriversJarAndCachesIt()
      throws Exception {
    Path jar = PluginJar.build(dir.resolve("build"));
    String bare = PluginJar.classPathWithoutTests();
    assertThat(bare).doesNotContain("test-classes");
    ChildJvm driver =
        resources.add(
            ChildJvm.startOnClassPath(
                "driver",
                bare,
                RpcenvCli.class.getName(),
                List.of(),
                Map.of(),
                "driver",
                "--host",
                "127.0.0.1",
                "--jars",
                jar.toString(),
                "--conf",
                "spark.ui.port=0",
                "--conf",
                "spark.plugins=" + PluginJar.PLUGIN));
    String line = driver.awaitLine(l -> l.contains(" listening at spark://"), WAIT);
    String url = line.substring(line.indexOf("spark://"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path cache = dir.resolve("cache");

    ChildJvm first = executor("e1", elsewhere, bare, url, cache);
    first.awaitLine(l -> l.contains("Fetched shipped.jar"), WAIT);
    first.awaitLine(l -> l.contains("shipped executor got 'welcome e1'"), WAIT);
    driver.awaitLine(l -> l.contains("shipped driver got hello from e1"), WAIT);
    driver.awaitLine(l -> l.contains("shipped driver got Pong[n=7, from=e1]"), WAIT);

    // A second executor on the same machine uses the cached jar.
    ChildJvm second = executor("e2", elsewhere, bare, url, cache);
    second.awaitLine(l -> l.contains("Using shipped.jar from the jar cache"), WAIT);
    driver.awaitLine(l -> l.contains("shipped driver got Pong[n=7, from=e2]"), WAIT);
    assertThat(second.lines()).noneMatch(l -> l.contains("Fetched shipped.jar"));
    assertThat(filesIn(cache))
        .hasSize(1)
        .allMatch(p -> p.getFileName().toString().equals("shipped.jar"));
    assertThat(Files.readAllBytes(filesIn(cache).get(0))).isEqualTo(Files.readAllBytes(jar));
  }

  private ChildJvm executor(String id, Path workingDir, String classPath, String url, Path cache)
      throws Exception {
    return resources.add(
        ChildJvm.startOnClassPathIn(
            "executor " + id,
            workingDir,
            classPath,
            RpcenvCli.class.getName(),
            List.of(),
            Map.of(),
            "executor",
            "--driver",
            url,
            "--id",
            id,
            "--conf",
            "spark.rpcenv.jarCache=" + cache));
  }

  @Test
  void eightExecutorsFetchingTheSameJarAtOnceAllStart() throws Exception {
    Path jar = PluginJar.build(dir.resolve("build"));
    Driver driver =
        resources.add(
            Driver.start(
                new RpcConf()
                    .set("spark.ui.port", "0")
                    .set("spark.jars", jar.toString())
                    .set("spark.rpcenv.jarCache", dir.resolve("cache").toString())));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    resources.add(pool::shutdownNow);
    List<CompletableFuture<Executor>> starting = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      String id = "x" + i;
      starting.add(
          CompletableFuture.supplyAsync(
              () -> Executor.start(new RpcConf(), driver.url(), id), pool));
    }
    for (CompletableFuture<Executor> f : starting) {
      Executor e = f.get(120, TimeUnit.SECONDS);
      resources.add(
          () -> {
            e.stop(ExitCode.STOPPED, "test over");
            e.exit().get(30, TimeUnit.SECONDS);
          });
    }
    assertThat(driver.awaitExecutors(8, WAIT)).isTrue();
    assertThat(filesIn(dir.resolve("cache"))).hasSize(1);
  }

  @Test
  void aFetchCutMidStreamFailsNamingThePeerAndLeavesNothingInTheCache() throws Exception {
    Path big = dir.resolve("big.jar");
    Files.write(big, new byte[12 << 20]);
    RpcEnv server =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("driver").conf(new RpcConf()).build()));
    String uri = server.fileServer().addJar(big);
    TcpProxy proxy =
        resources.add(TcpProxy.startWithoutRecording("127.0.0.1", server.address().port()));
    String through = uri.replace(server.address().hostPort(), "127.0.0.1:" + proxy.port());
    RpcEnv client =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("executor").clientMode(true).conf(new RpcConf()).build()));
    Path cache = dir.resolve("cache");
    RpcConf conf =
        new RpcConf()
            .set(ApplicationJars.URIS, through)
            .set("spark.rpcenv.jarCache", cache.toString());
    client.openChannel(through).close(); // the connection is open: now it is cut mid-stream
    proxy.closeAfter(TcpProxy.Direction.FROM_TARGET, 3 << 20);

    assertThatThrownBy(() -> ApplicationJars.fetch(client, conf))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(through)
        .hasMessageContaining("127.0.0.1:" + proxy.port());
    assertThat(filesIn(cache)).isEmpty();
  }

  @Test
  void aJarWhoseBytesLackTheAnnouncedSha256IsNotCached() throws Exception {
    // A server whose blocks match the checksums it gave, but not the SHA-256 it announced: the
    // cache is keyed by that digest, so the executor hashes what it stores and refuses this.
    byte[] block = new byte[1 << 20];
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(block);
    RpcEnv server =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("driver").conf(new RpcConf()).build()));
    String uri =
        FileProbe.lyingServer(
            server, 1 << 20, 1 << 20, new int[] {(int) crc.getValue()}, at -> block);
    RpcEnv client =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("executor").clientMode(true).conf(new RpcConf()).build()));
    Path cache = dir.resolve("cache");
    RpcConf conf =
        new RpcConf().set(ApplicationJars.URIS, uri).set("spark.rpcenv.jarCache", cache.toString());

    assertThatThrownBy(() -> ApplicationJars.fetch(client, conf))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(uri)
        .hasMessageContaining("not the driver's " + "ab".repeat(32))
        .hasMessageContaining("not caching it");
    assertThat(filesIn(cache)).isEmpty();
  }
}
