package io.rpcenv.internal.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated message bodies (records through the fast path, Java-serialized graphs, the tagged simple
 * values) read back either as some value or as an {@link IOException} or {@link
 * ClassNotFoundException}: never another exception, never an {@link OutOfMemoryError}.
 * Deterministic per seed; {@code -Dfuzz.seed} and {@code -Dfuzz.cases} run others.
 */
class BodyFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 20261202L);
  static final int CASES = Integer.getInteger("fuzz.cases", 400) * 10;

  record Inner(short s, char c, Double d) implements Serializable {}

  record Outer(int id, String name, byte[] data, Long maybe, Inner inner, boolean flag, float f)
      implements Serializable {}

  record WithCollections(
      List<String> list, java.util.Set<Inner> set, Map<String, Long> map, List<byte[]> blobs)
      implements Serializable {}

  private static List<byte[]> corpus() throws IOException {
    List<Object> values =
        new ArrayList<>(
            List.of(
                "text",
                42,
                7L,
                true,
                new byte[] {1, 2, 3},
                new Outer(
                    1, "n", new byte[] {9, 8}, null, new Inner((short) 3, 'x', 2.5), true, 1.5f),
                new Outer(2, null, null, 5L, null, false, 0f),
                new WithCollections(
                    new ArrayList<>(java.util.Arrays.asList("a", null, "b")),
                    java.util.Set.of(new Inner((short) 1, 'y', null)),
                    new java.util.LinkedHashMap<>(Map.of("k", 1L, "l", 2L)),
                    List.of(new byte[] {4, 5})),
                new WithCollections(List.of("x"), new java.util.HashSet<>(), Map.of(), null),
                new ArrayList<>(List.of("a", 1, 2L)),
                new HashMap<>(Map.of("k", new int[] {1, 2, 3}, "l", List.of(1.0))),
                new long[] {1, 2},
                new IllegalStateException("boom"),
                new String[] {"x", "y"}));
    values.add(null);
    List<byte[]> bodies = new ArrayList<>();
    for (Object v : values) {
      bodies.add(TestSerialization.body(v));
    }
    return bodies;
  }

  private static byte[] mutate(byte[] body, Random r) {
    byte[] m = body.clone();
    switch (r.nextInt(4)) {
      case 0 -> {
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          m[r.nextInt(m.length)] ^= (byte) (1 + r.nextInt(255));
        }
      }
      case 1 -> m = java.util.Arrays.copyOf(m, r.nextInt(m.length + 1));
      case 2 -> { // a length or count somewhere set large
        if (m.length >= 5) {
          int at = 1 + r.nextInt(m.length - 4);
          java.nio.ByteBuffer.wrap(m)
              .putInt(
                  at,
                  r.nextBoolean()
                      ? Integer.MAX_VALUE - r.nextInt(1000)
                      : 1 << (10 + r.nextInt(20)));
        }
      }
      default -> {
        byte[] extra = new byte[1 + r.nextInt(20)];
        r.nextBytes(extra);
        byte[] grown = java.util.Arrays.copyOf(m, m.length + extra.length);
        System.arraycopy(extra, 0, grown, m.length, extra.length);
        m = grown;
      }
    }
    return m;
  }

  @Test
  void mutatedBodiesReadAsAValueOrAnIoErrorAndNothingElse() throws Exception {
    JavaMessageSerializer serializer = TestSerialization.serializer();
    List<byte[]> corpus = corpus();
    Random r = new Random(SEED);
    int values = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] body = mutate(corpus.get(r.nextInt(corpus.size())), r);
      boolean asArray =
          body.length > 0 && r.nextBoolean(); // the large-body path: tag, then an array
      ByteBuf buf = Unpooled.wrappedBuffer(body);
      try {
        if (asArray) {
          serializer.read(body[0], java.util.Arrays.copyOfRange(body, 1, body.length), ref -> null);
        } else {
          serializer.read(buf, ref -> null);
        }
        values++;
      } catch (IOException | ClassNotFoundException expected) {
        refused++;
      } catch (Throwable other) {
        throw new AssertionError(
            "case "
                + i
                + " of seed "
                + SEED
                + " ("
                + (asArray ? "array" : "buffer")
                + " path) threw "
                + other,
            other);
      } finally {
        buf.release();
      }
    }
    assertThat(values + refused).isEqualTo(CASES);
    assertThat(refused).as("most mutations are refused").isPositive();
  }
}
