package io.rpcenv.kryo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.example.kryotest.Allowed;
import com.example.kryotest.Counters;
import com.example.kryotest.Guarded;
import com.example.kryotest.Order;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rpcenv.internal.serialize.DeserializationPolicy;
import io.rpcenv.internal.serialize.JavaMessageSerializer;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;
import io.rpcenv.internal.serialize.Serializers;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.StreamCorruptedException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * rpcenv's Kryo serializer: what it carries and how, what it leaves to Java serialization, and that
 * the policy of the Java path holds for what arrives.
 */
class KryoSerializerTest {
  static final List<String> ALLOW =
      List.of(
          "com.example.kryotest.Allowed",
          "com.example.kryotest.Order",
          "com.example.kryotest.Order$Side",
          "com.example.kryotest.Guarded");

  static MessageSerializer kryo(int maxDepth, long maxReferences, long maxArray) {
    return Serializers.create(
        "kryo",
        KryoSerializerTest.class.getClassLoader(),
        new DeserializationPolicy(ALLOW, maxDepth, maxReferences, maxArray, 1 << 24));
  }

  static final MessageSerializer KRYO = kryo(100, 100_000, 1 << 20);

  static byte[] body(MessageSerializer s, Object value) throws Exception {
    ByteBuf buf = Unpooled.buffer();
    try {
      s.write(value, buf);
      byte[] b = new byte[buf.readableBytes()];
      buf.readBytes(b);
      return b;
    } finally {
      buf.release();
    }
  }

  static Object read(MessageSerializer s, byte[] body) throws Exception {
    return s.read(Unpooled.wrappedBuffer(body), RefResolver.UNBOUND);
  }

  static Order order(String id) {
    Order o = new Order();
    o.id = id;
    o.timestamp = 1_700_000_000_000L;
    o.quantity = 7;
    o.side = Order.Side.SELL;
    o.tags = new ArrayList<>(Arrays.asList("a", null, "c"));
    o.counters = new LinkedHashMap<>(Map.of("x", 1L));
    o.codes = Set.of(3, 4);
    o.payload = new byte[] {1, 2, 3};
    o.ints = new int[] {-1, 0, Integer.MAX_VALUE};
    o.names = new String[] {"ü", null};
    o.uuid = UUID.randomUUID();
    o.price = new BigDecimal("12.345");
    o.at = Instant.ofEpochSecond(1_700_000_000L, 5);
    o.note = new Allowed("note ✓");
    o.notSent = "transient";
    return o;
  }

  @Test
  void aPlainClassRoundTripsWithItsCollectionsArraysAndValuesAndSharedAndCyclicLinks()
      throws Exception {
    Order o = order("o-1");
    o.parent = o; // a cycle
    byte[] b = body(KRYO, o);
    assertThat(b[0]).isEqualTo(JavaMessageSerializer.KRYO);
    Order back = (Order) read(KRYO, b);
    assertThat(back).isEqualTo(o);
    assertThat(back.parent).isSameAs(back);
    assertThat(back.notSent).isNull(); // transient, as with Java serialization
    assertThat(back.tags).isExactlyInstanceOf(ArrayList.class);
    assertThat(back.counters).isExactlyInstanceOf(LinkedHashMap.class);
    assertThatThrownBy(() -> back.codes.add(5)).isInstanceOf(UnsupportedOperationException.class);
    // Kryo writes the class names once: a tenth of Java serialization's size for this object
    assertThat(b.length)
        .isLessThan(
            body(new JavaMessageSerializer(getClass().getClassLoader(), policy()), o).length / 2);
  }

  static DeserializationPolicy policy() {
    return new DeserializationPolicy(ALLOW, 100, 100_000, 1 << 20, 1 << 24);
  }

  @Test
  void whatRpcenvsFastPathsTakeKeepsItsTagsAndJavaMessagesAreRead() throws Exception {
    assertThat(body(KRYO, "text")[0])
        .isEqualTo(
            body(new JavaMessageSerializer(getClass().getClassLoader(), policy()), "text")[0]);
    assertThat(read(KRYO, body(KRYO, new byte[] {9}))).isEqualTo(new byte[] {9});
    // A Java-serialized body (as an env with spark.rpc.serializer=java writes) reads too.
    JavaMessageSerializer java = new JavaMessageSerializer(getClass().getClassLoader(), policy());
    ByteBuf javaBody = Unpooled.buffer();
    java.writeJava(new ArrayList<>(List.of("x")), javaBody);
    assertThat(KRYO.read(javaBody, RefResolver.UNBOUND)).isEqualTo(List.of("x"));
  }

  @Test
  void classesThatCheckThemselvesInReadObjectAndJdkClassesKryoDoesNotCarryGoByJava()
      throws Exception {
    Counters.GUARDED_READ.set(0);
    byte[] guarded = body(KRYO, new Guarded(5));
    assertThat(guarded[0]).isNotEqualTo(JavaMessageSerializer.KRYO);
    assertThat(((Guarded) read(KRYO, guarded)).positive).isEqualTo(5);
    assertThat(Counters.GUARDED_READ).hasValue(1); // its readObject ran
    Order o = order("o-2");
    o.counters = new TreeMap<>(Map.of("b", 2L, "a", 1L)); // kept as a TreeMap only by Java
    byte[] b = body(KRYO, o);
    assertThat(b[0]).isNotEqualTo(JavaMessageSerializer.KRYO);
    assertThat(((Order) read(KRYO, b)).counters).isExactlyInstanceOf(TreeMap.class);
    assertThatThrownBy(() -> body(KRYO, new Object())).isInstanceOf(NotSerializableException.class);
  }

  @Test
  void aClassOffTheAllowListIsRefusedBeforeItIsLoadedOrInitialized() throws Exception {
    byte[] b = body(KRYO, new Allowed("x"));
    assertThat(b[0]).isEqualTo(JavaMessageSerializer.KRYO);
    byte[] forged = replace(b, "kryotest.Allowed", "kryotest.Tripped");
    Counters.TRIPPED_INITIALIZED.set(0);
    assertThatThrownBy(() -> read(KRYO, forged))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("class com.example.kryotest.Tripped is not allowed")
        .hasMessageContaining("spark.rpc.serializer.allowList");
    assertThat(Counters.TRIPPED_INITIALIZED).hasValue(0);
  }

  @Test
  void aClassWithReadObjectSentByKryoIsRefusedSoItsCheckCannotBeSkipped() throws Exception {
    // A forged sender: a Kryo that writes Guarded field by field, with an invalid value.
    Kryo forger = new Kryo();
    forger.setRegistrationRequired(false);
    forger.setReferences(true);
    BoundedOutput out = new BoundedOutput(256);
    forger.writeClassAndObject(out, new Guarded(-1));
    byte[] forged = new byte[out.position() + 1];
    forged[0] = JavaMessageSerializer.KRYO;
    System.arraycopy(out.getBuffer(), 0, forged, 1, out.position());
    Counters.GUARDED_READ.set(0);
    assertThatThrownBy(() -> read(KRYO, forged))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("com.example.kryotest.Guarded")
        .hasMessageContaining("declares readObject")
        .hasMessageContaining("travels by Java serialization");
    assertThat(Counters.GUARDED_READ).hasValue(0);
  }

  @Test
  void forgedLengthsFailBeforeAnythingIsAllocated() throws Exception {
    MessageSerializer strict = kryo(100, 100_000, 1000);
    Order o = order("o-3");
    o.ints = new int[1001];
    assertThatThrownBy(() -> read(strict, body(KRYO, o)))
        .hasMessageContaining("array of 1001 elements")
        .hasMessageContaining("spark.rpc.serializer.maxArrayLength");
    Order small = order("o-4");
    small.tags = new ArrayList<>(List.of("t"));
    small.names = null;
    byte[] b = body(KRYO, small);
    // Every 4-byte window set to a huge varint-ish value: each must fail as corrupt or refused.
    for (int at = 1; at + 5 <= b.length; at++) {
      byte[] m = b.clone();
      m[at] = (byte) 0xff;
      m[at + 1] = (byte) 0xff;
      m[at + 2] = (byte) 0xff;
      m[at + 3] = (byte) 0xff;
      m[at + 4] = (byte) 0x07;
      assertReadsOrFailsCleanly(strict, m);
    }
  }

  @Test
  void depthAndReferenceLimitsHold() throws Exception {
    Order chain = order("root");
    Order last = chain;
    for (int i = 0; i < 50; i++) {
      Order next = order("n" + i);
      last.parent = next;
      last = next;
    }
    byte[] b = body(KRYO, chain);
    assertThatThrownBy(() -> read(kryo(20, 100_000, 1 << 20), b))
        .isInstanceOf(StreamCorruptedException.class)
        .hasMessageContaining("spark.rpc.serializer.maxDepth");
    assertThatThrownBy(() -> read(kryo(1000, 100, 1 << 20), b))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("spark.rpc.serializer.maxReferences (100)");
  }

  @Test
  void truncatedAndMutatedBodiesFailWithIoExceptionsOnly() throws Exception {
    byte[] b = body(KRYO, order("o-5"));
    for (int n = 0; n < b.length; n++) {
      assertReadsOrFailsCleanly(KRYO, Arrays.copyOf(b, n));
    }
    java.util.Random r = new java.util.Random(20261206L);
    for (int i = 0; i < 4000; i++) {
      byte[] m = b.clone();
      for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
        m[1 + r.nextInt(m.length - 1)] ^= (byte) (1 + r.nextInt(255));
      }
      assertReadsOrFailsCleanly(KRYO, m);
    }
  }

  private static void assertReadsOrFailsCleanly(MessageSerializer s, byte[] body) {
    try {
      read(s, body);
    } catch (java.io.IOException | ClassNotFoundException expected) {
      // a sentence, not a crash
    } catch (Throwable t) {
      throw new AssertionError("a body of " + body.length + " bytes failed with " + t, t);
    }
  }

  @Test
  void aJavaConfiguredEnvNamesTheSettingWhenAKryoBodyArrives() throws Exception {
    byte[] b = body(KRYO, order("o-6"));
    JavaMessageSerializer java = new JavaMessageSerializer(getClass().getClassLoader(), policy());
    assertThatThrownBy(() -> read(java, b))
        .isInstanceOf(StreamCorruptedException.class)
        .hasMessageContaining("spark.rpc.serializer=kryo");
  }

  @Test
  void anUnknownSerializerNameIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> Serializers.create("fury", getClass().getClassLoader(), policy()))
        .hasMessageContaining("spark.rpc.serializer=fury")
        .hasMessageContaining("found: java, kryo");
  }

  @Test
  void mapsWithNullsAndEmptyCollectionsRoundTrip() throws Exception {
    Order o = order("o-7");
    o.counters = new HashMap<>();
    o.counters.put(null, null);
    o.counters.put("k", 2L);
    o.tags = List.of();
    o.codes = new LinkedHashSet<>(List.of(9, 1));
    Order back = (Order) read(KRYO, body(KRYO, o));
    assertThat(back.counters).containsEntry(null, null).containsEntry("k", 2L);
    assertThat(back.tags).isEmpty();
    assertThat(back.codes).isExactlyInstanceOf(LinkedHashSet.class).containsExactly(9, 1);
  }

  private static byte[] replace(byte[] b, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + f.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
        byte[] r = b.clone();
        System.arraycopy(t, 0, r, i, t.length);
        return r;
      }
    }
    throw new AssertionError(from + " is not in the body");
  }
}
