package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A few bytes that declare a huge array or collection never make the receiver allocate it: with the
 * default settings, where the array limit alone would let a 28-byte body allocate 1 GiB, no array
 * is allocated larger than the bytes left in the message could fill. The victims run in child JVMs
 * with 256 MiB of heap, so an allocation that got through would fail them for certain.
 */
class ArraysFromNothingTest {
  @RegisterExtension final Resources resources = new Resources();

  /**
   * Java serialization of {@code value}, with the int at {@code fromEnd} bytes before the end
   * (which must be {@code was}) set to {@code to}.
   */
  private static byte[] patched(Object value, int fromEnd, int was, int to) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(value);
    }
    byte[] stream = bytes.toByteArray();
    ByteBuffer b = ByteBuffer.wrap(stream, stream.length - fromEnd, 4);
    assertThat(b.getInt(stream.length - fromEnd))
        .as("the int to patch in the stream of %s", value.getClass())
        .isEqualTo(was);
    b.putInt(stream.length - fromEnd, to);
    return stream;
  }

  private static byte[] javaBody(byte[] stream) {
    byte[] body = new byte[stream.length + 1];
    body[0] = 1; // the Java serialization tag
    System.arraycopy(stream, 0, body, 1, stream.length);
    return body;
  }

  /** A crafted body of each kind, each declaring far more elements than its few bytes hold. */
  private static byte[] crafted(String kind) throws IOException {
    return javaBody(
        switch (kind) {
          // long[0] whose length says 2^27: 1 GiB, within the default maxArrayLength (2^27), in 28
          // bytes
          case "long[]" -> patched(new long[0], 4, 0, 1 << 27);
          // the size field of an empty list (then its ignored capacity and the end of block data)
          case "ArrayList" -> patched(new ArrayList<>(), 4 + 6 + 1, 0, 100_000_000);
          // the mapping count, after the bucket count, in the block data
          case "HashMap" -> patched(new HashMap<>(), 4 + 1, 0, 50_000_000);
          case "HashSet" -> patched(new HashSet<>(), 4 + 1, 0, 50_000_000);
          case "ArrayDeque" -> patched(new ArrayDeque<>(), 4 + 1, 0, 100_000_000);
          case "Hashtable" -> patched(new Hashtable<>(), 4 + 1, 0, 50_000_000);
          case "IdentityHashMap" -> patched(new IdentityHashMap<>(), 4 + 1, 0, 30_000_000);
          default -> throw new IllegalArgumentException(kind);
        });
  }

  private static final String[] KINDS = {
    "long[]", "ArrayList", "HashMap", "HashSet", "ArrayDeque", "Hashtable", "IdentityHashMap"
  };

  @Test
  void aHugeArrayOrCollectionDeclaredInAFewBytesIsRefusedBeforeAllocation() throws Exception {
    assertThat(crafted("long[]")).as("the whole body of the long[] case").hasSize(28);
    ChildJvm child = resources.add(ChildJvm.start("victim", EchoServerMain.class, Map.of()));
    String url = child.awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60));
    int port = RpcEndpointAddress.parse(url.substring("LISTENING ".length())).address().port();
    for (String kind : KINDS) {
      try (RawConnection raw = new RawConnection(port)) {
        raw.plainHandshake();
        long start = System.nanoTime();
        raw.frame(RawConnection.REQUEST, RawConnection.requestPayload(1, "echo", crafted(kind)));
        RawConnection.Frame answer = raw.readFrame();
        assertThat(answer.type()).as(kind).isEqualTo(RawConnection.FAILURE);
        assertThat(answer.text())
            .as(kind)
            .contains("Deserialization rejected")
            .contains("bytes left in the message could hold")
            .doesNotContain("OutOfMemoryError");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
            .as(kind)
            .isLessThan(5_000);
        // and the victim serves the next ask on the same connection
        raw.request(2, "echo", "still there");
        RawConnection.Frame next = raw.readFrame();
        assertThat(next.type()).as(kind).isEqualTo(RawConnection.RESPONSE);
        assertThat(next.text()).as(kind).contains("child echoes still there");
      }
    }
    assertThat(child.lines()).noneMatch(l -> l.contains("OutOfMemoryError"));
  }

  @Test
  void aHostileServersReplyDeclaringAHugeArrayFailsTheAskAndNothingElse() throws Exception {
    byte[] answer = new byte[8 + crafted("long[]").length];
    System.arraycopy(crafted("long[]"), 0, answer, 8, answer.length - 8);
    assertThat(askThroughHostileServer(RawConnection.RESPONSE, answer))
        .startsWith("FAILED io.rpcenv.RpcSerializationException")
        .contains("bytes left in the message could hold");
  }

  @Test
  void aHostileServersFailureReportDeclaringAHugeStackTraceStillReadsAsItsTexts() throws Exception {
    IllegalStateException e = new IllegalStateException("remote trouble");
    e.setStackTrace(new StackTraceElement[0]);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(e);
    }
    byte[] stream = bytes.toByteArray();
    // The stack trace array: its class name, serialVersionUID, flags, field count, end of block
    // data, no superclass, length.
    byte[] name = "[Ljava.lang.StackTraceElement;".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(stream, name) + name.length + 8 + 1 + 2 + 1 + 1;
    assertThat(ByteBuffer.wrap(stream).getInt(at)).isZero();
    ByteBuffer.wrap(stream).putInt(at, 100_000_000);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(frame);
    d.writeLong(0); // the ask's id, filled in by the server
    d.writeByte(2); // ENDPOINT_FAILED
    writeUtf8Int(d, "remote trouble");
    byte[] cls = IllegalStateException.class.getName().getBytes(StandardCharsets.UTF_8);
    d.writeShort(cls.length);
    d.write(cls);
    writeUtf8Int(d, "java.lang.IllegalStateException: remote trouble");
    d.write(javaBody(stream));
    assertThat(askThroughHostileServer(RawConnection.FAILURE, frame.toByteArray()))
        .startsWith("FAILED io.rpcenv.RpcRemoteException")
        .contains("java.lang.IllegalStateException: remote trouble");
  }

  /**
   * Has an {@link AskOnceMain} in a child JVM ask a {@link HostileServer} that answers with {@code
   * type} and {@code answer}; returns the outcome line, once the child has also ended without
   * running out of memory.
   */
  private String askThroughHostileServer(byte type, byte[] answer) throws Exception {
    try (HostileServer hostile = new HostileServer(type, answer)) {
      ChildJvm asker =
          resources.add(
              ChildJvm.start(
                  "asker",
                  AskOnceMain.class,
                  Map.of(),
                  "127.0.0.1",
                  String.valueOf(hostile.port()),
                  "echo"));
      String outcome =
          asker.awaitLine(
              l -> l.startsWith("REPLY ") || l.startsWith("FAILED "), Duration.ofSeconds(60));
      asker.awaitLine(l -> l.equals("DONE"), Duration.ofSeconds(60));
      assertThat(asker.lines()).noneMatch(l -> l.contains("OutOfMemoryError"));
      return outcome;
    }
  }

  private static void writeUtf8Int(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
