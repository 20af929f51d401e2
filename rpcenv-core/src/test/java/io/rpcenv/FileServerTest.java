package io.rpcenv;

import static io.rpcenv.EndpointMetricsTest.counter;
import static io.rpcenv.EndpointMetricsTest.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rpcenv.internal.files.FileProbe;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.TcpProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An env's file server and the channels peers read its files with. */
class FileServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);
  @TempDir Path dir;

  private Path file(String name, int size) throws IOException {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.write(p, b);
  }

  static byte[] readAll(ReadableByteChannel ch) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(100_000);
    try (ch) {
      while (ch.read(buf) >= 0) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
    }
    return out.toByteArray();
  }

  @Test
  void aClientModeEnvReadsFilesJarsAndDirectoriesOverItsConnection() throws Exception {
    RpcEnv server = envs.server("server");
    RpcEnv client = envs.client("client");
    String at = "spark://" + server.address().hostPort();
    for (int size : new int[] {0, 1, 1 << 20, 3 * (1 << 20) + 17}) {
      Path f = file("f" + size + ".bin", size);
      String uri = server.fileServer().addFile(f);
      assertThat(uri).isEqualTo(at + "/files/f" + size + ".bin");
      assertThat(readAll(client.openChannel(uri)))
          .as("size " + size)
          .isEqualTo(Files.readAllBytes(f));
    }
    Path jar = file("lib/a.jar", 5000);
    assertThat(server.fileServer().addJar(jar)).isEqualTo(at + "/jars/a.jar");
    assertThat(server.fileServer().addJar(jar)).isEqualTo(at + "/jars/a.jar"); // again: same URI
    assertThat(readAll(client.openChannel(at + "/jars/a.jar"))).isEqualTo(Files.readAllBytes(jar));

    Path tree = dir.resolve("tree");
    file("tree/top.txt", 10);
    file("tree/sub/deep.txt", 20);
    assertThat(server.fileServer().addDirectory("classes", tree)).isEqualTo(at + "/classes");
    assertThat(readAll(client.openChannel(at + "/classes/sub/deep.txt")))
        .isEqualTo(Files.readAllBytes(tree.resolve("sub/deep.txt")));
  }

  @Test
  void anotherFileUnderATakenNameIsRefusedNamingBoth() throws Exception {
    RpcEnv server = envs.server("server");
    Path one = file("one/x.jar", 10);
    Path two = file("two/x.jar", 10);
    server.fileServer().addJar(one);
    assertThatThrownBy(() -> server.fileServer().addJar(two))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(two.toRealPath().toString())
        .hasMessageContaining(one.toRealPath().toString());
    assertThatThrownBy(() -> server.fileServer().addFile(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> envs.client("client").fileServer())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client mode");
  }

  @Test
  void onlyRegisteredPathsAreServedWhateverTheRequestSays() throws Exception {
    RpcEnv server = envs.server("server");
    server.fileServer().addJar(file("a.jar", 10));
    server.fileServer().addJar(file("b.jar", 10));
    Path secret = file("secret.txt", 10);
    Path tree = dir.resolve("tree");
    file("tree/ok.txt", 10);
    Files.createSymbolicLink(tree.resolve("escape.txt"), secret);
    server.fileServer().addDirectory("site", tree);
    RpcEnv client = envs.client("client");
    String at = "spark://" + server.address().hostPort();

    assertThatThrownBy(() -> client.openChannel(at + "/jars/c.jar"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No file is served at " + at + "/jars/c.jar")
        .hasMessageContaining("registered under /jars/: a.jar, b.jar");
    for (String path :
        new String[] {
          "/jars/../secret.txt",
          "/jars/%2e%2e/secret.txt",
          "/files/" + secret,
          "//" + secret,
          "/site/escape.txt",
          "/site/../secret.txt",
          "/site/",
        }) {
      assertThatThrownBy(() -> client.openChannel(at + path))
          .as(path)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No file is served at");
    }
    assertThat(readAll(client.openChannel(at + "/site/ok.txt"))).hasSize(10);
    assertThatThrownBy(() -> client.openChannel("http://x/y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFileDeletedOrChangedAfterItWasAddedFailsItsReadsAndTheServerKeepsServing()
      throws Exception {
    RpcEnv server = envs.server("server");
    Path gone = file("gone.bin", 1000);
    Path changed = file("changed.bin", 1000);
    Path fine = file("fine.bin", 1000);
    String goneUri = server.fileServer().addFile(gone);
    String changedUri = server.fileServer().addFile(changed);
    String fineUri = server.fileServer().addFile(fine);
    Files.delete(gone);
    Files.write(changed, new byte[2000]);
    RpcEnv client = envs.client("client");

    ReadableByteChannel a = client.openChannel(goneUri);
    assertThatThrownBy(() -> a.read(ByteBuffer.allocate(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(goneUri)
        .hasMessageContaining(server.address().hostPort())
        .hasMessageContaining("gone");
    assertThatThrownBy(() -> a.read(ByteBuffer.allocate(10))).hasMessageContaining("gone");
    ReadableByteChannel b = client.openChannel(changedUri);
    assertThatThrownBy(() -> readAll(b)).hasMessageContaining("changed since it was added");
    assertThat(readAll(client.openChannel(fineUri))).isEqualTo(Files.readAllBytes(fine));
  }

  @Test
  void contentThatNoLongerMatchesItsBlockChecksumsFailsTheReadInsteadOfEnding() throws Exception {
    RpcEnv server = envs.server("server");
    Path f = file("same-size.bin", 3 << 20);
    String uri = server.fileServer().addFile(f);
    // Same length, same modification time, other bytes: only the checksums can tell.
    java.nio.file.attribute.FileTime was = Files.getLastModifiedTime(f);
    byte[] other = Files.readAllBytes(f);
    other[other.length / 2] ^= 1;
    Files.write(f, other);
    Files.setLastModifiedTime(f, was);

    assertThatThrownBy(() -> readAll(envs.client("client").openChannel(uri)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(uri)
        .hasMessageContaining(server.address().hostPort())
        .hasMessageContaining("block " + (other.length / 2) / FileProbe.BLOCK + " has CRC32C")
        .hasMessageContaining("taken when the file was added")
        .hasMessageContaining("at byte " + (other.length / 2) / FileProbe.BLOCK * FileProbe.BLOCK);
  }

  @Test
  void aServerThatDescribesAFileInconsistentlyIsNotRead() {
    RpcEnv server = envs.server("liar");
    RpcEnv client = envs.client("client");
    String uri = FileProbe.lyingServer(server, 3 << 20, 1 << 20, new int[2], at -> new byte[0]);
    assertThatThrownBy(() -> client.openChannel(uri))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Cannot read "
                + uri
                + ": "
                + server.address().hostPort()
                + " describes it with 2 block checksums for 3145728 bytes in blocks of 1048576");
  }

  @Test
  void blocksThatAreShortOrOtherBytesThanTheServerDescribedFailTheRead() throws Exception {
    RpcEnv client = envs.client("client");
    byte[] block = new byte[1 << 20];
    new Random(3).nextBytes(block);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(block);
    int[] crcs = {(int) crc.getValue(), (int) crc.getValue()};
    byte[] other = block.clone();
    other[5] ^= 1;

    String shortUri =
        FileProbe.lyingServer(
            envs.server("short"), 2 << 20, 1 << 20, crcs, at -> at == 0 ? block : new byte[10]);
    assertThatThrownBy(() -> readAll(client.openChannel(shortUri)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(shortUri)
        .hasMessageContaining("a block of 10 bytes came where 1048576 were due, at byte 1048576");

    String otherUri =
        FileProbe.lyingServer(
            envs.server("other"), 2 << 20, 1 << 20, crcs, at -> at == 0 ? block : other);
    ReadableByteChannel ch = client.openChannel(otherUri);
    ByteBuffer first = ByteBuffer.allocate(1 << 20);
    while (first.hasRemaining()) {
      ch.read(first); // the first block is what was described: it is handed over
    }
    assertThat(first.array()).isEqualTo(block);
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("block 1 has CRC32C");
    // Sticky: the channel never hands over the wrong bytes later.
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(10))).hasMessageContaining("block 1");
  }

  @Test
  void aConnectionLostMidStreamFailsTheReadNamingThePeer() throws Exception {
    RpcEnv server = envs.server("server");
    String uri = server.fileServer().addFile(file("big.bin", 16 << 20));
    TcpProxy proxy =
        resources.add(TcpProxy.startWithoutRecording("127.0.0.1", server.address().port()));
    RpcEnv client = envs.client("client");
    String through = uri.replace(server.address().hostPort(), "127.0.0.1:" + proxy.port());
    ReadableByteChannel ch = client.openChannel(through);
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    ch.read(buf);
    proxy.closeAfter(TcpProxy.Direction.FROM_TARGET, 2 << 20);
    assertThatThrownBy(
            () -> {
              while (true) {
                buf.clear();
                if (ch.read(buf) < 0) {
                  return;
                }
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "Reading " + through + " from 127.0.0.1:" + proxy.port() + " failed at byte");
  }

  @Test
  void aReaderThatStopsReadingStopsTheServerAfterAFewChunks() throws Exception {
    RpcEnv server = envs.server("server");
    String uri = server.fileServer().addFile(file("big.bin", 32 << 20));
    RpcEnv client = envs.client("client");
    ReadableByteChannel ch = client.openChannel(uri);
    ch.read(ByteBuffer.allocate(1));
    String asks =
        "rpcenv_endpoint_messages_received_total{endpoint=\"rpcenv-file-server\",kind=\"ask\"}";
    String outstanding =
        "rpcenv_peer_asks_outstanding{peer=\""
            + server.address().hostPort()
            + "\",direction=\"out\"}";
    await().atMost(WAIT).until(() -> gauge(client.metrics(), outstanding) == 0);
    long open = 1;
    long ahead = FileProbe.AHEAD; // blocks asked for ahead of the reader
    await().atMost(WAIT).until(() -> counter(server.metrics(), asks) == open + ahead);
    assertThat(counter(server.metrics(), asks)).isEqualTo(open + ahead);
    ch.close();
  }

  @Test
  void underTlsTheBytesAreReadAndEncryptedAndArriveTheSame() throws Exception {
    io.rpcenv.testkit.TestCertificates certs =
        new io.rpcenv.testkit.TestCertificates(Files.createDirectories(dir.resolve("certs")));
    io.rpcenv.testkit.TestCertificates.Authority ca = certs.authority("ca");
    Path trust = certs.trustStore("trust", ca);
    RpcConf tls =
        TestEnvs.conf()
            .set("spark.ssl.rpc.enabled", "true")
            .set("spark.ssl.rpc.trustStore", trust.toString())
            .set("spark.ssl.rpc.trustStorePassword", io.rpcenv.testkit.TestCertificates.PASSWORD);
    RpcConf serverTls =
        tls.copy()
            .set("spark.ssl.rpc.keyStore", certs.identity("server", ca).keyStore().toString())
            .set("spark.ssl.rpc.keyStorePassword", io.rpcenv.testkit.TestCertificates.PASSWORD);
    RpcEnv server = envs.server("server", serverTls);
    Path f = file("secret.bin", 3 * (1 << 20) + 5);
    String uri = server.fileServer().addFile(f);
    assertThat(readAll(envs.client("client", tls).openChannel(uri)))
        .isEqualTo(Files.readAllBytes(f));
  }

  @Test
  void anEnvReadsItsOwnFiles() throws Exception {
    RpcEnv server = envs.server("server");
    Path f = file("own.bin", (1 << 20) + 3);
    assertThat(readAll(server.openChannel(server.fileServer().addFile(f))))
        .isEqualTo(Files.readAllBytes(f));
  }

  @Test
  void aPeerThatFloodsChunkRequestsAndReadsNothingIsCutOffAtTheOutboxBound() throws Exception {
    RpcEnv server =
        envs.server(
            "server",
            TestEnvs.conf()
                .set("spark.rpc.outbox.maxBytes", "32m")
                .set("spark.rpc.message.maxSize", "16"));
    String uri = server.fileServer().addFile(file("big.bin", 8 << 20));
    String path = uri.substring(uri.indexOf("/files/"));
    try (RawConnection flooder = new RawConnection(server.address().port())) {
      flooder.plainHandshake();
      // 200 x 4 MiB asked for (800 MiB if the server kept it all), and nothing read meanwhile.
      for (int i = 1; i <= 200; i++) {
        flooder.request(
            i, "rpcenv-file-server", io.rpcenv.internal.files.FileProbe.read(path, 0, 4 << 20));
      }
      // The server closes the connection once its answers pass spark.rpc.outbox.maxBytes: reading
      // now finds what the socket buffers held, then the end, not 800 MiB.
      assertThat(flooder.readsEof(WAIT)).isTrue();
    }
    assertThat(readAll(envs.client("honest").openChannel(uri))).hasSize(8 << 20);
  }

  @Test
  void authenticationIsRequiredToReadWhenItIsOn() throws Exception {
    RpcConf auth =
        TestEnvs.conf().set("spark.authenticate", "true").set("spark.authenticate.secret", "s");
    RpcEnv server = envs.server("server", auth);
    String uri = server.fileServer().addFile(file("x.bin", 100));
    assertThatThrownBy(() -> envs.client("stranger").openChannel(uri))
        .isInstanceOf(IOException.class);
    assertThat(readAll(envs.client("friend", auth.copy()).openChannel(uri))).hasSize(100);
  }

  @Test
  void oversizedOrOutOfRangeChunkRequestsAreRefused() throws Exception {
    RpcEnv server = envs.server("server");
    String uri = server.fileServer().addFile(file("x.bin", 100));
    RpcEndpointRef raw =
        envs.client("hostile").setupEndpointRef(server.address(), "rpcenv-file-server");
    String path = uri.substring(uri.indexOf("/files/"));
    for (Object hostile :
        new Object[] {
          io.rpcenv.internal.files.FileProbe.read(path, 0, 100 << 20),
          io.rpcenv.internal.files.FileProbe.read(path, -5, 10),
          io.rpcenv.internal.files.FileProbe.read(path, 90, 20),
          io.rpcenv.internal.files.FileProbe.read(path, 0, 0),
          "what?",
        }) {
      assertThatThrownBy(() -> raw.askSync(hostile))
          .as(String.valueOf(hostile))
          .isInstanceOf(RpcRemoteException.class);
    }
    assertThat(readAll(envs.client("client").openChannel(uri))).hasSize(100);
  }
}
