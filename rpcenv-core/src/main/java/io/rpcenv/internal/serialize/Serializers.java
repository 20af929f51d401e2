package io.rpcenv.internal.serialize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The serializer {@code spark.rpc.serializer} names: Java's (with its fast paths) or a module's.
 */
public final class Serializers {
  private Serializers() {}

  /**
   * Makes the serializer named {@code name}.
   *
   * @throws IllegalArgumentException naming the setting and the module if none has the name
   */
  public static MessageSerializer create(
      String name, ClassLoader loader, DeserializationPolicy policy) {
    JavaMessageSerializer java = new JavaMessageSerializer(loader, policy);
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("java")) {
      return java;
    }
    List<String> found = new ArrayList<>();
    for (SerializerProvider p : ServiceLoader.load(SerializerProvider.class, loader)) {
      if (p.name().equals(n)) {
        return p.create(loader, policy, java);
      }
      found.add(p.name());
    }
    throw new IllegalArgumentException(
        "spark.rpc.serializer="
            + name
            + ", but no serializer of that name is on the class path (found: java"
            + (found.isEmpty() ? "" : ", " + String.join(", ", found))
            + "); for kryo add io.rpcenv:rpcenv-kryo");
  }
}
