package io.rpcenv.internal.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.untrusted.UntrustedRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  record Inner(int n, String s) implements Serializable {}

  record Everything(
      boolean z,
      byte b,
      short s,
      char c,
      int i,
      long l,
      float f,
      double d,
      Boolean bz,
      Byte bb,
      Short bs,
      Character bc,
      Integer bi,
      Long bl,
      Float bf,
      Double bd,
      String text,
      byte[] bytes,
      Inner inner)
      implements Serializable {}

  record WithList(List<String> items) implements Serializable {}

  record Nested(List<List<String>> lists) implements Serializable {}

  record Collections3(List<String> list, Set<Long> set, Map<String, Inner> map, List<byte[]> blobs)
      implements Serializable {}

  record Order(
      String id,
      long timestamp,
      int quantity,
      List<String> tags,
      Map<String, Long> counts,
      byte[] payload)
      implements Serializable {}

  record Trusted(List<UntrustedRecord> items) implements Serializable {}

  record Node(int value, Node next) implements Serializable {}

  record Positive(int n) implements Serializable {
    Positive {
      if (n <= 0) {
        throw new IllegalArgumentException("n must be positive: " + n);
      }
    }
  }

  record Bytes(byte[] data) implements Serializable {}

  record Level3(Level2 inner) implements Serializable {}

  record Level2(Level1 inner) implements Serializable {}

  record Level1(int n) implements Serializable {}

  record NotSerializable(int n) {}

  private static JavaMessageSerializer serializer(int maxDepth, long maxArrayLength) {
    return new JavaMessageSerializer(
        RecordCodecTest.class.getClassLoader(),
        new DeserializationPolicy(List.of(), maxDepth, 1_000_000, maxArrayLength, 1 << 20));
  }

  private static final JavaMessageSerializer SERIALIZER = serializer(20, 1 << 20);

  private static ByteBuf written(JavaMessageSerializer s, Object value) throws Exception {
    ByteBuf buf = Unpooled.buffer();
    try {
      s.write(value, buf);
      return buf;
    } catch (Exception e) {
      buf.release();
      throw e;
    }
  }

  private static Object roundTrip(JavaMessageSerializer s, Object value) throws Exception {
    ByteBuf buf = written(s, value);
    try {
      return s.read(buf, RefResolver.UNBOUND);
    } finally {
      buf.release();
    }
  }

  @Test
  void everyComponentKindRoundTripsIncludingNullsAndExtremes() throws Exception {
    Everything full =
        new Everything(
            true,
            Byte.MIN_VALUE,
            Short.MAX_VALUE,
            'ü',
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            Float.NaN,
            -0.0,
            false,
            (byte) 7,
            (short) -3,
            '✓',
            42,
            -1L,
            1.5f,
            Double.MAX_VALUE,
            "héllo ✓",
            new byte[] {1, 2, 3},
            new Inner(9, "nine"));
    Everything back = (Everything) roundTrip(SERIALIZER, full);
    assertThat(back).usingRecursiveComparison().ignoringFields("f").isEqualTo(full);
    assertThat(back.f()).isNaN();
    Everything nulls =
        new Everything(
            false, (byte) 0, (short) 0, 'a', 0, 0, 0, 0, null, null, null, null, null, null, null,
            null, null, null, null);
    assertThat(roundTrip(SERIALIZER, nulls)).usingRecursiveComparison().isEqualTo(nulls);
  }

  @Test
  void recordsOfSimpleComponentsSkipJavaSerializationAndOthersUseIt() throws Exception {
    ByteBuf simple = written(SERIALIZER, new Inner(1, "x"));
    ByteBuf nested = written(SERIALIZER, new Nested(List.of(List.of("a"))));
    ByteBuf recursive = written(SERIALIZER, new Node(1, new Node(2, null)));
    try {
      assertThat(simple.getByte(0)).isEqualTo(JavaMessageSerializer.RECORD);
      assertThat(simple.readableBytes()).isLessThan(80); // no class descriptors
      assertThat(nested.getByte(0)).isEqualTo(JavaMessageSerializer.JAVA);
      assertThat(recursive.getByte(0)).isEqualTo(JavaMessageSerializer.JAVA);
      assertThat(SERIALIZER.read(nested, RefResolver.UNBOUND))
          .isEqualTo(new Nested(List.of(List.of("a"))));
      assertThat(SERIALIZER.read(recursive, RefResolver.UNBOUND))
          .isEqualTo(new Node(1, new Node(2, null)));
    } finally {
      simple.release();
      nested.release();
      recursive.release();
    }
    assertThatThrownBy(() -> written(SERIALIZER, new NotSerializable(1)))
        .isInstanceOf(NotSerializableException.class);
  }

  /** The value after a round trip, checking that it took the fast path. */
  private static Object fastRoundTrip(Object value) throws Exception {
    ByteBuf buf = written(SERIALIZER, value);
    try {
      assertThat(buf.getByte(0)).isEqualTo(JavaMessageSerializer.RECORD);
      return SERIALIZER.read(buf, RefResolver.UNBOUND);
    } finally {
      buf.release();
    }
  }

  private static byte tagOf(Object value) throws Exception {
    ByteBuf buf = written(SERIALIZER, value);
    try {
      return buf.getByte(0);
    } finally {
      buf.release();
    }
  }

  @Test
  void listsSetsAndMapsRoundTripAsTheSameClassFamiliesWithTheirOrderAndNulls() throws Exception {
    LinkedHashSet<Long> ordered = new LinkedHashSet<>(List.of(9L, 1L, 5L));
    LinkedHashMap<String, Inner> orderedMap = new LinkedHashMap<>();
    orderedMap.put("z", new Inner(1, "one"));
    orderedMap.put("a", null);
    orderedMap.put(null, new Inner(2, null));
    Collections3 back =
        (Collections3)
            fastRoundTrip(
                new Collections3(
                    new ArrayList<>(Arrays.asList("x", null, "y")),
                    ordered,
                    orderedMap,
                    List.of(new byte[] {1, 2}, new byte[0])));
    assertThat(back.list()).isExactlyInstanceOf(ArrayList.class).containsExactly("x", null, "y");
    assertThat(back.set()).isExactlyInstanceOf(LinkedHashSet.class).containsExactly(9L, 1L, 5L);
    assertThat(back.map()).isExactlyInstanceOf(LinkedHashMap.class);
    assertThat(new ArrayList<>(back.map().keySet())).containsExactly("z", "a", null);
    assertThat(back.map()).containsEntry("z", new Inner(1, "one")).containsEntry("a", null);
    assertThat(back.blobs()).hasSize(2);
    assertThat(back.blobs().get(0)).containsExactly(1, 2);
    assertThatThrownBy(() -> back.blobs().add(null)) // List.of arrives unmodifiable, as sent
        .isInstanceOf(UnsupportedOperationException.class);

    Collections3 plain =
        (Collections3)
            fastRoundTrip(
                new Collections3(
                    List.of(),
                    new HashSet<>(Set.of(3L)),
                    new HashMap<>(Map.of("k", new Inner(3, "v"))),
                    new ArrayList<>()));
    assertThat(plain.list()).isEmpty();
    assertThat(plain.set()).isExactlyInstanceOf(HashSet.class).containsExactly(3L);
    assertThat(plain.map()).isExactlyInstanceOf(HashMap.class);
    assertThat(plain.blobs()).isExactlyInstanceOf(ArrayList.class).isEmpty();
    assertThat(fastRoundTrip(new Collections3(null, Set.of(1L, 2L), Map.of(), null)))
        .isEqualTo(new Collections3(null, Set.of(1L, 2L), Map.of(), null));
  }

  @Test
  void collectionsOnlyJavaSerializationKeepsSendTheirRecordThroughJava() throws Exception {
    Map<String, Long> sorted = new TreeMap<>(Map.of("b", 2L, "a", 1L));
    Order viaTreeMap = new Order("o", 1, 2, List.of("t"), sorted, new byte[0]);
    assertThat(tagOf(viaTreeMap)).isEqualTo(JavaMessageSerializer.JAVA);
    Order back = (Order) roundTrip(SERIALIZER, viaTreeMap);
    assertThat(back.counts()).isExactlyInstanceOf(TreeMap.class).isEqualTo(sorted);
    // Stream.toList() may hold a null, which List.of cannot: Java serialization keeps it.
    List<String> withNull = Stream.of("a", null).toList();
    assertThat(tagOf(new WithList(withNull))).isEqualTo(JavaMessageSerializer.JAVA);
    assertThat(((WithList) roundTrip(SERIALIZER, new WithList(withNull))).items())
        .containsExactly("a", null);
    // A list whose elements are not what its type says (heap pollution) is not guessed at.
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<String> polluted = (List) new ArrayList<>(List.of(1, 2));
    assertThat(tagOf(new WithList(polluted))).isEqualTo(JavaMessageSerializer.JAVA);
  }

  @Test
  void aRealisticMessageIsSmallerAndUnchangedOnTheFastPath() throws Exception {
    Map<String, Long> counts = new HashMap<>();
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tags.add("tag-" + i);
      counts.put("counter-" + i, (long) i * i);
    }
    Order order = new Order("order-123", 1_700_000_000_000L, 7, tags, counts, new byte[256]);
    ByteBuf fast = written(SERIALIZER, order);
    java.io.ByteArrayOutputStream java = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream oos = new java.io.ObjectOutputStream(java)) {
      oos.writeObject(order);
    }
    try {
      assertThat(fast.getByte(0)).isEqualTo(JavaMessageSerializer.RECORD);
      assertThat(fast.readableBytes()).isLessThan(java.size());
      Order back = (Order) SERIALIZER.read(fast, RefResolver.UNBOUND);
      assertThat(back).usingRecursiveComparison().isEqualTo(order);
    } finally {
      fast.release();
    }
  }

  @Test
  void forgedCollectionsAreRefusedBeforeAnythingIsAllocatedForThem() throws Exception {
    JavaMessageSerializer strict = serializer(20, 16);
    ByteBuf big =
        written(strict, new WithList(new ArrayList<>(java.util.Collections.nCopies(17, "x"))));
    ByteBuf list = written(strict, new WithList(List.of("a", "b")));
    // tag, name length, name, hash, presence, flavor, then the count
    int countAt = 1 + 2 + WithList.class.getName().length() + 4 + 1 + 1;
    try {
      assertThatThrownBy(() -> strict.read(big, RefResolver.UNBOUND))
          .hasMessageContaining("array of 17 elements")
          .hasMessageContaining("spark.rpc.serializer.maxArrayLength");
      list.setInt(countAt, 1_000_000);
      assertThatThrownBy(() -> strict.read(list.duplicate(), RefResolver.UNBOUND))
          .isInstanceOf(StreamCorruptedException.class)
          .hasMessageContaining("count 1000000 exceeds the");
      list.setInt(countAt, 2);
      list.setByte(countAt - 1, 7);
      assertThatThrownBy(() -> strict.read(list.duplicate(), RefResolver.UNBOUND))
          .isInstanceOf(StreamCorruptedException.class)
          .hasMessageContaining("bad LIST flavor 7");
      // Written as List.of, but with a null inside: no sender does that.
      list.setByte(countAt - 1, CollectionCodec.UNMODIFIABLE);
      list.setByte(countAt + 4, 0);
      assertThatThrownBy(() -> strict.read(list.duplicate(), RefResolver.UNBOUND))
          .isInstanceOf(StreamCorruptedException.class)
          .hasMessageContaining("cannot be what was sent");
    } finally {
      big.release();
      list.release();
    }
  }

  @Test
  void recordsInsideCollectionsAreHeldToTheAllowListAndTheDepthLimit() throws Exception {
    ByteBuf buf = written(SERIALIZER, new Trusted(List.of(new UntrustedRecord("inside"))));
    UntrustedRecord.CONSTRUCTED.set(0);
    try {
      assertThat(buf.getByte(0)).isEqualTo(JavaMessageSerializer.RECORD);
      assertThatThrownBy(() -> SERIALIZER.read(buf, RefResolver.UNBOUND))
          .isInstanceOf(InvalidClassException.class)
          .hasMessageContaining("class com.example.untrusted.UntrustedRecord is not allowed");
      assertThat(UntrustedRecord.CONSTRUCTED).hasValue(0);
    } finally {
      buf.release();
    }
    JavaMessageSerializer shallow = serializer(2, 100);
    ByteBuf deep =
        written(shallow, new Collections3(null, null, Map.of("k", new Inner(1, "")), null));
    try {
      assertThatThrownBy(() -> shallow.read(deep, RefResolver.UNBOUND))
          .hasMessageContaining("spark.rpc.serializer.maxDepth (2)");
    } finally {
      deep.release();
    }
  }

  @Test
  void aRecordOutsideTheAllowListIsRejectedBeforeItsConstructorRuns() throws Exception {
    ByteBuf buf = written(SERIALIZER, new UntrustedRecord("hostile"));
    UntrustedRecord.CONSTRUCTED.set(0);
    try {
      assertThatThrownBy(() -> SERIALIZER.read(buf, RefResolver.UNBOUND))
          .isInstanceOf(InvalidClassException.class)
          .hasMessageContaining("class com.example.untrusted.UntrustedRecord is not allowed")
          .hasMessageContaining("spark.rpc.serializer.allowList");
      assertThat(UntrustedRecord.CONSTRUCTED).hasValue(0);
    } finally {
      buf.release();
    }
    JavaMessageSerializer allowing =
        new JavaMessageSerializer(
            getClass().getClassLoader(),
            new DeserializationPolicy(List.of("com.example.untrusted.*"), 20, 1000, 1000, 1 << 20));
    assertThat(roundTrip(allowing, new UntrustedRecord("allowed")))
        .isEqualTo(new UntrustedRecord("allowed"));
  }

  @Test
  void theCanonicalConstructorValidatesWhatArrives() throws Exception {
    ByteBuf buf = written(SERIALIZER, new Positive(5));
    try {
      buf.setInt(
          buf.writerIndex() - 4, -5); // the last component, as a forged sender would write it
      assertThatThrownBy(() -> SERIALIZER.read(buf, RefResolver.UNBOUND))
          .isInstanceOf(InvalidObjectException.class)
          .hasMessageContaining(Positive.class.getName() + " rejected its components")
          .hasMessageContaining("n must be positive: -5");
    } finally {
      buf.release();
    }
  }

  @Test
  void aDifferentShapeOnTheReceivingSideIsNamed() throws Exception {
    ByteBuf buf = written(SERIALIZER, new Inner(1, "x"));
    try {
      int hashAt = 1 + 2 + Inner.class.getName().length();
      buf.setInt(hashAt, buf.getInt(hashAt) + 1);
      assertThatThrownBy(() -> SERIALIZER.read(buf, RefResolver.UNBOUND))
          .isInstanceOf(InvalidClassException.class)
          .hasMessageContaining(Inner.class.getName())
          .hasMessageContaining("components differ between sender and receiver");
    } finally {
      buf.release();
    }
  }

  @Test
  void depthAndArrayLimitsHoldBeforeAllocation() throws Exception {
    JavaMessageSerializer strict = serializer(2, 16);
    ByteBuf deep = written(strict, new Level3(new Level2(new Level1(1))));
    ByteBuf big = written(strict, new Bytes(new byte[17]));
    try {
      assertThatThrownBy(() -> strict.read(deep, RefResolver.UNBOUND))
          .hasMessageContaining("spark.rpc.serializer.maxDepth (2)");
      assertThatThrownBy(() -> strict.read(big, RefResolver.UNBOUND))
          .hasMessageContaining("array of 17 elements")
          .hasMessageContaining("spark.rpc.serializer.maxArrayLength");
      assertThat(roundTrip(strict, new Level2(new Level1(3)))).isEqualTo(new Level2(new Level1(3)));
    } finally {
      deep.release();
      big.release();
    }
  }

  @Test
  void aLengthBeyondTheBodyIsCorruptionNotAnAllocation() throws Exception {
    ByteBuf buf = written(SERIALIZER, new Bytes(new byte[4]));
    try {
      buf.setInt(buf.writerIndex() - 8, Integer.MAX_VALUE);
      assertThatThrownBy(() -> SERIALIZER.read(buf, RefResolver.UNBOUND))
          .isInstanceOf(StreamCorruptedException.class)
          .hasMessageContaining("exceeds the 4 bytes left");
    } finally {
      buf.release();
    }
  }
}
