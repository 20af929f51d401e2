package io.rpcenv.kryo.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.io.StreamCorruptedException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The collections and object arrays rpcenv's Kryo carries, each made by its own constructor here
 * (never by Kryo's instantiator) and sized only after the count is checked against the bytes left
 * and {@code spark.rpc.serializer.maxArrayLength}.
 */
final class BoundedCollections {
  private BoundedCollections() {}

  /** The unmodifiable classes of {@code List.of}, {@code Set.of} and {@code Map.of}. */
  static final Set<Class<?>> UNMODIFIABLE_LISTS =
      Set.of(List.of().getClass(), List.of(0).getClass());

  static final Set<Class<?>> UNMODIFIABLE_SETS = Set.of(Set.of().getClass(), Set.of(0).getClass());
  static final Set<Class<?>> UNMODIFIABLE_MAPS =
      Set.of(Map.of().getClass(), Map.of(0, 0).getClass());

  /** The serializer for {@code type} if it is one of these, else null. */
  static Serializer<?> forType(Class<?> type) {
    if (type == ArrayList.class
        || type == LinkedList.class
        || type == HashSet.class
        || type == LinkedHashSet.class) {
      return new Collections();
    }
    if (type == HashMap.class || type == LinkedHashMap.class) {
      return new Maps();
    }
    if (UNMODIFIABLE_LISTS.contains(type)) {
      return new Unmodifiable(Kind.LIST);
    }
    if (UNMODIFIABLE_SETS.contains(type)) {
      return new Unmodifiable(Kind.SET);
    }
    if (UNMODIFIABLE_MAPS.contains(type)) {
      return new Unmodifiable(Kind.MAP);
    }
    if (type.isArray() && !type.getComponentType().isPrimitive()) {
      return new ObjectArrays();
    }
    return null;
  }

  /**
   * Each element takes at least one byte (a class or null marker): the count is bounded by that.
   */
  private static void check(Input input, int count) {
    ((BoundedInput) input).checkArray(count, 1);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class Collections extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(
        Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      check(input, size);
      if (type == ArrayList.class) {
        return new ArrayList<>(size);
      }
      if (type == HashSet.class) {
        return new HashSet<>(Math.max(16, (int) (size / 0.75f) + 1));
      }
      if (type == LinkedHashSet.class) {
        return new LinkedHashSet<>(Math.max(16, (int) (size / 0.75f) + 1));
      }
      @SuppressWarnings("JdkObsolete") // the class the sender had: it arrives as one
      Collection c = new LinkedList<>();
      return c;
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class Maps extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      ((BoundedInput) input).checkArray(size, 2); // a key and a value at least
      int capacity = Math.max(16, (int) (size / 0.75f) + 1);
      return type == LinkedHashMap.class ? new LinkedHashMap<>(capacity) : new HashMap<>(capacity);
    }
  }

  enum Kind {
    LIST,
    SET,
    MAP
  }

  /** {@code List.of}, {@code Set.of}, {@code Map.of}: a count, then elements (keys and values). */
  static final class Unmodifiable extends Serializer<Object> {
    private final Kind kind;

    Unmodifiable(Kind kind) {
      super(false, true);
      this.kind = kind;
    }

    @Override
    public void write(Kryo kryo, Output output, Object value) {
      if (kind == Kind.MAP) {
        Map<?, ?> m = (Map<?, ?>) value;
        output.writeVarInt(m.size(), true);
        for (Map.Entry<?, ?> e : m.entrySet()) {
          kryo.writeClassAndObject(output, e.getKey());
          kryo.writeClassAndObject(output, e.getValue());
        }
        return;
      }
      Collection<?> c = (Collection<?>) value;
      output.writeVarInt(c.size(), true);
      for (Object e : c) {
        kryo.writeClassAndObject(output, e);
      }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
      int n = input.readVarInt(true);
      ((BoundedInput) input).checkArray(n, kind == Kind.MAP ? 2 : 1);
      Object[] items = new Object[kind == Kind.MAP ? 2 * n : n];
      for (int i = 0; i < items.length; i++) {
        items[i] = kryo.readClassAndObject(input);
      }
      try {
        if (kind == Kind.LIST) {
          return List.of(items);
        }
        if (kind == Kind.SET) {
          return Set.of(items);
        }
        Map<Object, Object> m = new HashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
        for (int i = 0; i < items.length; i += 2) {
          m.put(items[i], items[i + 1]);
        }
        if (m.size() != n) {
          throw new IllegalArgumentException("duplicate key");
        }
        return Map.copyOf(m);
      } catch (IllegalArgumentException | NullPointerException forged) {
        throw new KryoException(
            new StreamCorruptedException(
                "an unmodifiable " + kind + " that cannot be what was sent: " + forged));
      }
    }
  }

  /** Arrays of objects: a length, then each element with its class. */
  static final class ObjectArrays extends Serializer<Object[]> {
    ObjectArrays() {
      super(false, false);
    }

    @Override
    public void write(Kryo kryo, Output output, Object[] array) {
      output.writeVarInt(array.length, true);
      for (Object e : array) {
        kryo.writeClassAndObject(output, e);
      }
    }

    @Override
    public Object[] read(Kryo kryo, Input input, Class<? extends Object[]> type) {
      int n = input.readVarInt(true);
      check(input, n);
      Object[] array = (Object[]) Array.newInstance(type.getComponentType(), n);
      kryo.reference(array);
      for (int i = 0; i < n; i++) {
        try {
          array[i] = kryo.readClassAndObject(input);
        } catch (ArrayStoreException wrongType) {
          throw new KryoException(
              new StreamCorruptedException(
                  "an element of a " + type.getName() + " that is not of its type"));
        }
      }
      return array;
    }
  }
}
