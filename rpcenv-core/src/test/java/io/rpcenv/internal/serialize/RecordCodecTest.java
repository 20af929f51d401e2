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
import java.util.List;
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
    ByteBuf list = written(SERIALIZER, new WithList(List.of("a")));
    ByteBuf recursive = written(SERIALIZER, new Node(1, new Node(2, null)));
    try {
      assertThat(simple.getByte(0)).isEqualTo(JavaMessageSerializer.RECORD);
      assertThat(simple.readableBytes()).isLessThan(80); // no class descriptors
      assertThat(list.getByte(0)).isEqualTo(JavaMessageSerializer.JAVA);
      assertThat(recursive.getByte(0)).isEqualTo(JavaMessageSerializer.JAVA);
      assertThat(SERIALIZER.read(list, RefResolver.UNBOUND)).isEqualTo(new WithList(List.of("a")));
      assertThat(SERIALIZER.read(recursive, RefResolver.UNBOUND))
          .isEqualTo(new Node(1, new Node(2, null)));
    } finally {
      simple.release();
      list.release();
      recursive.release();
    }
    assertThatThrownBy(() -> written(SERIALIZER, new NotSerializable(1)))
        .isInstanceOf(NotSerializableException.class);
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
