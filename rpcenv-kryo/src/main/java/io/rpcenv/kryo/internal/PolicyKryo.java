package io.rpcenv.kryo.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import io.rpcenv.internal.serialize.DeserializationPolicy;
import java.io.Externalizable;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.UUID;
import org.objenesis.strategy.SerializingInstantiatorStrategy;

/**
 * A Kryo that carries a closed set of classes under rpcenv's deserialization policy: a class named
 * in a message must be on the allow-list before it is loaded (and is loaded without running its
 * static initializer); then only these are written and read: boxes and strings, primitive and
 * object arrays, enums, records, {@code BigInteger}, {@code BigDecimal}, {@code UUID}, {@code
 * java.time} values, the collections of {@link BoundedCollections}, and {@code Serializable}
 * classes outside the JDK that leave serialization to the runtime (no {@code writeObject}, {@code
 * readObject}, {@code readResolve}, {@code writeReplace}, not {@code Externalizable}): such a class
 * may check its invariants only in those hooks, which Kryo's field-by-field copy would skip, so it
 * travels by Java serialization. Instances are made as Java serialization makes them (its own
 * constructors do not run). Depth and references are held to the policy's limits.
 */
final class PolicyKryo extends Kryo {
  /** Why a class does not travel by Kryo: the writer then uses Java serialization. */
  static final class Refused extends KryoException {
    private static final long serialVersionUID = 1L;
    final String className;

    Refused(String className, String why) {
      super("class " + className + " " + why + ": it travels by Java serialization, not Kryo");
      this.className = className;
    }
  }

  private static final Set<Class<?>> JDK_VALUES =
      Set.of(BigInteger.class, BigDecimal.class, UUID.class);

  PolicyKryo(DeserializationPolicy policy, ClassLoader loader) {
    super(new PolicyClassResolver(policy), new CountingReferences(policy));
    setClassLoader(loader);
    setRegistrationRequired(false);
    setWarnUnregisteredClasses(false);
    setReferences(true);
    setMaxDepth(policy.maxDepth());
    setInstantiatorStrategy(new SerializingInstantiatorStrategy());
    addDefaultSerializer(UUID.class, new UuidSerializer());
  }

  @SuppressWarnings("rawtypes") // Kryo's own signature
  @Override
  public Serializer getDefaultSerializer(Class type) {
    Serializer<?> mine = BoundedCollections.forType(type);
    if (mine != null) {
      return mine;
    }
    String name = type.getName();
    if ((type.isArray() && type.getComponentType().isPrimitive())
        || type.isEnum()
        || (type.getSuperclass() != null && type.getSuperclass().isEnum())
        || JDK_VALUES.contains(type)) {
      return super.getDefaultSerializer(type);
    }
    if (type.isRecord() || name.startsWith("java.time.")) {
      String hook = type.isRecord() ? hook(type) : null;
      if (hook != null) {
        throw new Refused(name, "declares " + hook);
      }
      Serializer<?> s = super.getDefaultSerializer(type); // a RecordSerializer, a java.time one
      if (s instanceof FieldSerializer) {
        throw new Refused(name, "has no serializer of its own in Kryo");
      }
      return s;
    }
    if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")) {
      throw new Refused(name, "is a JDK class rpcenv's Kryo does not carry");
    }
    if (!Serializable.class.isAssignableFrom(type)) {
      throw new Refused(name, "is not Serializable");
    }
    if (Externalizable.class.isAssignableFrom(type)) {
      throw new Refused(name, "is Externalizable");
    }
    for (Class<?> c = type;
        c != null && Serializable.class.isAssignableFrom(c);
        c = c.getSuperclass()) {
      String hook = hook(c);
      if (hook != null) {
        throw new Refused(
            name, "declares " + hook + (c == type ? "" : " (in " + c.getName() + ")"));
      }
    }
    return new FieldSerializer<>(this, type);
  }

  /** A serialization hook {@code c} declares itself, or null. */
  private static String hook(Class<?> c) {
    if (declares(c, "writeObject", ObjectOutputStream.class)) {
      return "writeObject";
    }
    if (declares(c, "readObject", ObjectInputStream.class)) {
      return "readObject";
    }
    if (declares(c, "readObjectNoData")) {
      return "readObjectNoData";
    }
    if (declares(c, "readResolve")) {
      return "readResolve";
    }
    if (declares(c, "writeReplace")) {
      return "writeReplace";
    }
    return null;
  }

  private static boolean declares(Class<?> c, String method, Class<?>... params) {
    try {
      return c.getDeclaredMethod(method, params) != null;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /**
   * Resolves class names only after the allow-list admits them (an array by its element class),
   * without initializing the class; a refusal names the class and the setting.
   */
  static final class PolicyClassResolver extends DefaultClassResolver {
    private final DeserializationPolicy policy;

    PolicyClassResolver(DeserializationPolicy policy) {
      this.policy = policy;
    }

    @SuppressWarnings("rawtypes") // Kryo's own signature
    @Override
    protected Class getTypeByName(String className) {
      Class<?> known = super.getTypeByName(className);
      if (known != null) {
        return known;
      }
      String element = className;
      while (element.startsWith("[")) {
        element = element.substring(1);
      }
      if (element.startsWith("L") && element.endsWith(";")) {
        element = element.substring(1, element.length() - 1);
      } else if (element.length() == 1 && className.startsWith("[")) {
        return null; // an array of primitives
      }
      if (!policy.allows(element)) {
        InvalidClassException refused = policy.notAllowed(element);
        throw new KryoException(refused.getMessage(), refused);
      }
      return null; // Kryo loads it now, with initialize=false
    }
  }

  /** {@code UUID}: its two longs. */
  static final class UuidSerializer extends Serializer<UUID> {
    UuidSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, com.esotericsoftware.kryo.io.Output output, UUID u) {
      output.writeLong(u.getMostSignificantBits());
      output.writeLong(u.getLeastSignificantBits());
    }

    @Override
    public UUID read(Kryo kryo, com.esotericsoftware.kryo.io.Input input, Class<? extends UUID> t) {
      return new UUID(input.readLong(), input.readLong());
    }
  }
}
