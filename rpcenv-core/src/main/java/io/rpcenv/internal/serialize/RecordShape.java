package io.rpcenv.internal.serialize;

import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Set;

/**
 * How a record class is written without Java serialization: its components in declaration order,
 * each of a kind the fast path knows (primitives, their boxes, {@code String}, {@code byte[]}, and
 * nested records of those), read back through the canonical constructor, as Java serialization does
 * for records. A class with any other component, or with {@code writeReplace} or {@code
 * readResolve}, or not {@code Serializable}, has no shape and is Java-serialized instead.
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
    RECORD;

    @SuppressWarnings("EnumOrdinal") // the primitive kinds are declared first, up to DOUBLE
    boolean primitive() {
      return ordinal() <= DOUBLE.ordinal();
    }
  }

  private static final ClassValue<RecordShape> SHAPES =
      new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
          return build(type, new HashSet<>());
        }
      };

  /** Stands for "no shape" in the cache (a ClassValue cannot hold null). */
  private static final RecordShape NONE =
      new RecordShape(Object.class, new Kind[0], new RecordShape[0], new MethodHandle[0], null, 0);

  final Class<?> type;
  final Kind[] kinds;

  /** The shape of each RECORD component, else null. */
  final RecordShape[] nested;

  /** Accessors, each typed {@code (Object) -> Object}. */
  final MethodHandle[] getters;

  /** The canonical constructor, typed {@code (Object[]) -> Object}. */
  final MethodHandle constructor;

  /** Hash of component names and types, nested shapes included: both sides must agree. */
  final int hash;

  private RecordShape(
      Class<?> type,
      Kind[] kinds,
      RecordShape[] nested,
      MethodHandle[] getters,
      MethodHandle constructor,
      int hash) {
    this.type = type;
    this.kinds = kinds;
    this.nested = nested;
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
      RecordComponent[] components = type.getRecordComponents();
      Kind[] kinds = new Kind[components.length];
      RecordShape[] nested = new RecordShape[components.length];
      MethodHandle[] getters = new MethodHandle[components.length];
      Class<?>[] types = new Class<?>[components.length];
      StringBuilder signature = new StringBuilder(type.getName()).append('(');
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      for (int i = 0; i < components.length; i++) {
        Class<?> c = components[i].getType();
        Kind k = kindOf(c);
        if (k == null) {
          return NONE;
        }
        if (k == Kind.RECORD) {
          RecordShape inner = build(c, inProgress);
          if (inner == NONE) {
            return NONE;
          }
          nested[i] = inner;
          signature.append(inner.hash);
        }
        kinds[i] = k;
        types[i] = c;
        Method accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        getters[i] =
            lookup.unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
        signature.append(components[i].getName()).append(':').append(c.getName()).append(';');
      }
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      MethodHandle ctor =
          lookup
              .unreflectConstructor(canonical)
              .asSpreader(Object[].class, components.length)
              .asType(MethodType.methodType(Object.class, Object[].class));
      return new RecordShape(
          type, kinds, nested, getters, ctor, signature.append(')').toString().hashCode());
    } catch (ReflectiveOperationException | RuntimeException inaccessible) {
      return NONE; // e.g. a record in a module that is not open to us: Java serialization handles
      // it
    } finally {
      inProgress.remove(type);
    }
  }

  private static boolean declares(Class<?> type, String method) {
    try {
      return type.getDeclaredMethod(method) != null;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Kind kindOf(Class<?> c) {
    if (c.isPrimitive()) {
      return c == boolean.class
          ? Kind.BOOLEAN
          : c == byte.class
              ? Kind.BYTE
              : c == short.class
                  ? Kind.SHORT
                  : c == char.class
                      ? Kind.CHAR
                      : c == int.class
                          ? Kind.INT
                          : c == long.class
                              ? Kind.LONG
                              : c == float.class ? Kind.FLOAT : Kind.DOUBLE;
    }
    if (c == Boolean.class) {
      return Kind.BOXED_BOOLEAN;
    }
    if (c == Byte.class) {
      return Kind.BOXED_BYTE;
    }
    if (c == Short.class) {
      return Kind.BOXED_SHORT;
    }
    if (c == Character.class) {
      return Kind.BOXED_CHAR;
    }
    if (c == Integer.class) {
      return Kind.BOXED_INT;
    }
    if (c == Long.class) {
      return Kind.BOXED_LONG;
    }
    if (c == Float.class) {
      return Kind.BOXED_FLOAT;
    }
    if (c == Double.class) {
      return Kind.BOXED_DOUBLE;
    }
    if (c == String.class) {
      return Kind.STRING;
    }
    if (c == byte[].class) {
      return Kind.BYTES;
    }
    return c.isRecord() ? Kind.RECORD : null;
  }
}
