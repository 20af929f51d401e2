package io.rpcenv.internal.serialize;

import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a record class is written without Java serialization: its components in declaration order,
 * each of a kind the fast path knows (primitives, their boxes, {@code String}, {@code byte[]},
 * nested records of those, and {@code List}, {@code Set} and {@code Map} components whose elements,
 * keys and values are boxes, strings, byte arrays or such records), read back through the canonical
 * constructor, as Java serialization does for records. A class with any other component, or with
 * {@code writeReplace} or {@code readResolve}, or not {@code Serializable}, has no shape and is
 * Java-serialized instead.
 */
final class RecordShape {
  /** Component kinds; primitives are written raw, the rest behind a presence byte. */
  enum Kind {
    BOOLEAN,
    BYTE,
    SHORT,
    CHAR,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    BOXED_BOOLEAN,
    BOXED_BYTE,
    BOXED_SHORT,
    BOXED_CHAR,
    BOXED_INT,
    BOXED_LONG,
    BOXED_FLOAT,
    BOXED_DOUBLE,
    STRING,
    BYTES,
    RECORD,
    LIST,
    SET,
    MAP;

    @SuppressWarnings("EnumOrdinal") // the primitive kinds are declared first, up to DOUBLE
    boolean primitive() {
      return ordinal() <= DOUBLE.ordinal();
    }
  }

  /**
   * What a component, or an element of one, holds.
   *
   * @param kind its kind
   * @param shape for a RECORD, the record's shape
   * @param element for a LIST or SET, its elements; for a MAP, its keys
   * @param value for a MAP, its values
   */
  record Value(Kind kind, RecordShape shape, Value element, Value value) {}

  private static final ClassValue<RecordShape> SHAPES =
      new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
          return build(type, new HashSet<>());
        }
      };

  /** Stands for "no shape" in the cache (a ClassValue cannot hold null). */
  private static final RecordShape NONE =
      new RecordShape(Object.class, new Value[0], new MethodHandle[0], null, 0);

  final Class<?> type;
  final Value[] components;

  /** Accessors, each typed {@code (Object) -> Object}. */
  final MethodHandle[] getters;

  /** The canonical constructor, typed {@code (Object[]) -> Object}. */
  final MethodHandle constructor;

  /** Hash of component names and types, nested shapes included: both sides must agree. */
  final int hash;

  private RecordShape(
      Class<?> type,
      Value[] components,
      MethodHandle[] getters,
      MethodHandle constructor,
      int hash) {
    this.type = type;
    this.components = components;
    this.getters = getters;
    this.constructor = constructor;
    this.hash = hash;
  }

  /** The shape of {@code type}, or null if it is not a record the fast path can write. */
  static RecordShape of(Class<?> type) {
    if (!type.isRecord()) {
      return null;
    }
    RecordShape s = SHAPES.get(type);
    return s == NONE ? null : s;
  }

  private static RecordShape build(Class<?> type, Set<Class<?>> inProgress) {
    if (!type.isRecord()
        || !Serializable.class.isAssignableFrom(type)
        || declares(type, "writeReplace")
        || declares(type, "readResolve")
        || !inProgress.add(type)) {
      return NONE; // a record that contains itself is left to Java serialization
    }
    try {
      RecordComponent[] rc = type.getRecordComponents();
      Value[] components = new Value[rc.length];
      MethodHandle[] getters = new MethodHandle[rc.length];
      Class<?>[] types = new Class<?>[rc.length];
      StringBuilder signature = new StringBuilder(type.getName()).append('(');
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      for (int i = 0; i < rc.length; i++) {
        signature.append(rc[i].getName()).append(':');
        components[i] = valueOf(rc[i].getGenericType(), true, inProgress, signature);
        if (components[i] == null) {
          return NONE;
        }
        signature.append(';');
        types[i] = rc[i].getType();
        Method accessor = rc[i].getAccessor();
        accessor.setAccessible(true);
        getters[i] =
            lookup.unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
      }
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      MethodHandle ctor =
          lookup
              .unreflectConstructor(canonical)
              .asSpreader(Object[].class, rc.length)
              .asType(MethodType.methodType(Object.class, Object[].class));
      return new RecordShape(
          type, components, getters, ctor, signature.append(')').toString().hashCode());
    } catch (ReflectiveOperationException | RuntimeException inaccessible) {
      return NONE; // e.g. a record in a module not open to us: Java serialization handles it
    } finally {
      inProgress.remove(type);
    }
  }

  /**
   * What {@code type} holds, appending its description to {@code signature}; null if the fast path
   * cannot write it. Primitives only as components, collections only of non-collections.
   */
  private static Value valueOf(
      Type type, boolean component, Set<Class<?>> inProgress, StringBuilder signature) {
    if (type instanceof ParameterizedType p && component) {
      Kind k =
          p.getRawType() == List.class
              ? Kind.LIST
              : p.getRawType() == Set.class
                  ? Kind.SET
                  : p.getRawType() == Map.class ? Kind.MAP : null;
      if (k == null) {
        return null;
      }
      Type[] args = p.getActualTypeArguments();
      signature.append(k).append('<');
      Value first = valueOf(args[0], false, inProgress, signature);
      Value second = k == Kind.MAP ? valueOf(args[1], false, inProgress, signature) : null;
      signature.append('>');
      return first == null || (k == Kind.MAP && second == null)
          ? null
          : new Value(k, null, first, second);
    }
    if (!(type instanceof Class<?> c) || (c.isPrimitive() && !component)) {
      return null;
    }
    signature.append(c.getName()).append(',');
    Kind k = kindOf(c);
    if (k == Kind.RECORD) {
      RecordShape inner = build(c, inProgress);
      if (inner == NONE) {
        return null;
      }
      signature.append(inner.hash);
      return new Value(k, inner, null, null);
    }
    return k == null ? null : new Value(k, null, null, null);
  }

  private static boolean declares(Class<?> type, String method) {
    try {
      return type.getDeclaredMethod(method) != null;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static final Map<Class<?>, Kind> SIMPLE =
      Map.ofEntries(
          Map.entry(boolean.class, Kind.BOOLEAN),
          Map.entry(byte.class, Kind.BYTE),
          Map.entry(short.class, Kind.SHORT),
          Map.entry(char.class, Kind.CHAR),
          Map.entry(int.class, Kind.INT),
          Map.entry(long.class, Kind.LONG),
          Map.entry(float.class, Kind.FLOAT),
          Map.entry(double.class, Kind.DOUBLE),
          Map.entry(Boolean.class, Kind.BOXED_BOOLEAN),
          Map.entry(Byte.class, Kind.BOXED_BYTE),
          Map.entry(Short.class, Kind.BOXED_SHORT),
          Map.entry(Character.class, Kind.BOXED_CHAR),
          Map.entry(Integer.class, Kind.BOXED_INT),
          Map.entry(Long.class, Kind.BOXED_LONG),
          Map.entry(Float.class, Kind.BOXED_FLOAT),
          Map.entry(Double.class, Kind.BOXED_DOUBLE),
          Map.entry(String.class, Kind.STRING),
          Map.entry(byte[].class, Kind.BYTES));

  private static Kind kindOf(Class<?> c) {
    Kind k = SIMPLE.get(c);
    return k != null ? k : c.isRecord() ? Kind.RECORD : null;
  }
}
