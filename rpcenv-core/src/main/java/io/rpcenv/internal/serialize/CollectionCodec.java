package io.rpcenv.internal.serialize;

import io.netty.buffer.ByteBuf;
import io.rpcenv.internal.serialize.RecordShape.Kind;
import io.rpcenv.internal.serialize.RecordShape.Value;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code List}, {@code Set} and {@code Map} components of records on the fast path: a flavor
 * byte, a count, then each element (a map's key then its value) as {@link RecordCodec} writes
 * values. Only the JDK classes whose behaviour the flavor keeps are written this way, and they are
 * read back as those classes: {@code ArrayList}, {@code HashSet}, {@code LinkedHashSet}, {@code
 * HashMap}, {@code LinkedHashMap}, and the unmodifiable ones of {@code List.of}, {@code Set.of} and
 * {@code Map.of} (and {@code copyOf}, {@code Stream.toList}). Any other class (a {@code TreeMap}, a
 * synchronized or custom collection) makes its record go through Java serialization, which keeps
 * it.
 */
final class CollectionCodec {
  /** A collection the fast path cannot write as it is: the whole message goes through Java. */
  static final class NotWritable extends Exception {
    private static final long serialVersionUID = 1L;

    NotWritable() {
      super("not writable on the record fast path", null, false, false); // no stack: cheap
    }
  }

  /** The class family a collection is read back as. */
  static final byte HASHED = 0; // ArrayList, HashSet, HashMap

  static final byte UNMODIFIABLE = 1; // List.of, Set.of, Map.of and their kin
  static final byte ORDERED = 2; // LinkedHashSet, LinkedHashMap

  private static final Set<Class<?>> UNMODIFIABLE_CLASSES =
      Set.of(
          List.of().getClass(),
          List.of(0).getClass(),
          Set.of().getClass(),
          Set.of(0).getClass(),
          Map.of().getClass(),
          Map.of(0, 0).getClass());

  private CollectionCodec() {}

  private static byte flavor(Kind kind, Class<?> c) throws NotWritable {
    if (UNMODIFIABLE_CLASSES.contains(c)) {
      return UNMODIFIABLE;
    }
    if ((kind == Kind.LIST && c == ArrayList.class)
        || (kind == Kind.SET && c == HashSet.class)
        || (kind == Kind.MAP && c == HashMap.class)) {
      return HASHED;
    }
    if ((kind == Kind.SET && c == LinkedHashSet.class)
        || (kind == Kind.MAP && c == LinkedHashMap.class)) {
      return ORDERED;
    }
    throw new NotWritable();
  }

  static void write(Value type, Object v, ByteBuf out) throws IOException, NotWritable {
    byte flavor = flavor(type.kind(), v.getClass());
    out.writeByte(flavor);
    int countAt = out.writerIndex();
    out.writeInt(0);
    int n = 0;
    if (type.kind() == Kind.MAP) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        RecordCodec.writeValue(type.element(), e.getKey(), out);
        RecordCodec.writeValue(type.value(), e.getValue(), out);
        n++;
      }
    } else {
      for (Object e : (Collection<?>) v) {
        if (e == null && flavor == UNMODIFIABLE) {
          throw new NotWritable(); // Stream.toList() may hold nulls; List.of cannot
        }
        RecordCodec.writeValue(type.element(), e, out);
        n++;
      }
    }
    out.setInt(countAt, n); // what was written, even if the collection changed meanwhile
  }

  /** A collection written by {@link #write}, at {@code depth}, inside a record of {@code owner}. */
  static Object read(
      RecordCodec codec, Value type, ByteBuf in, int depth, long[] references, Class<?> owner)
      throws IOException {
    DeserializationPolicy policy = codec.policy();
    if (depth > policy.maxDepth()) {
      throw policy.tooDeep();
    }
    Kind kind = type.kind();
    byte flavor = in.readByte();
    if (flavor != HASHED && flavor != UNMODIFIABLE && (flavor != ORDERED || kind == Kind.LIST)) {
      throw new StreamCorruptedException(
          "bad " + kind + " flavor " + flavor + " in " + owner.getName());
    }
    // Every element takes at least its presence byte: the count is bounded by what is left.
    int n = codec.count(in, kind == Kind.MAP ? 2 : 1);
    try {
      if (kind == Kind.MAP) {
        Map<Object, Object> m = flavor == ORDERED ? new LinkedHashMap<>(n) : new HashMap<>(n);
        for (int i = 0; i < n; i++) {
          Object key = codec.readValue(type.element(), in, depth, references, owner);
          m.put(key, codec.readValue(type.value(), in, depth, references, owner));
        }
        if (flavor == UNMODIFIABLE && m.size() != n) {
          throw new IllegalArgumentException("duplicate key");
        }
        return flavor == UNMODIFIABLE ? Map.copyOf(m) : m;
      }
      Object[] elements = new Object[n];
      for (int i = 0; i < n; i++) {
        elements[i] = codec.readValue(type.element(), in, depth, references, owner);
      }
      if (kind == Kind.LIST) {
        return flavor == UNMODIFIABLE
            ? List.of(elements)
            : new ArrayList<>(Arrays.asList(elements));
      }
      if (flavor == UNMODIFIABLE) {
        return Set.of(elements);
      }
      Set<Object> s = flavor == ORDERED ? new LinkedHashSet<>(n) : new HashSet<>(n);
      s.addAll(Arrays.asList(elements));
      return s;
    } catch (IllegalArgumentException | NullPointerException forged) {
      // A null or a duplicate in what was written as List.of, Set.of or Map.of: no sender does it.
      throw new StreamCorruptedException(
          "a " + kind + " in " + owner.getName() + " that cannot be what was sent: " + forged);
    }
  }
}
