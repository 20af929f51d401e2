package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.fixtures.ReadToDigest;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A 1 GiB file read by a JVM with a 128 MiB heap: it streams, it is never held whole. */
class LargeFileStreamTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);
  @TempDir Path dir;

  @Test
  void aGibibyteFileStreamsToAReaderWithA128MiBHeapAndItsDigestMatches() throws Exception {
    Path big = dir.resolve("big.bin");
    byte[] noise = new byte[1 << 20];
    new Random(1).nextBytes(noise);
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1L << 30); // mostly a hole: cheap to make, read as zeros
      f.write(noise);
      f.seek((1L << 30) - noise.length);
      f.write(noise);
    }
    RpcEnv server = envs.server("server");
    String uri = server.fileServer().addFile(big);

    ChildJvm reader =
        resources.add(
            ChildJvm.start("reader", ReadToDigest.class, List.of("-Xmx128m"), Map.of(), uri));
    String line = reader.awaitLine(l -> l.startsWith("read sha256="), Duration.ofMinutes(3));
    assertThat(reader.waitFor(Duration.ofSeconds(30))).isZero();
    System.out.println("1 GiB stream: " + line);

    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (FileChannel ch = FileChannel.open(big, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      while (ch.read(buf) >= 0) {
        buf.flip();
        sha.update(buf);
        buf.clear();
      }
    }
    assertThat(line)
        .contains("sha256=" + HexFormat.of().formatHex(sha.digest()))
        .contains("bytes=" + (1L << 30));
  }
}
