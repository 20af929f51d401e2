package io.rpcenv.internal.serialize;

/**
 * A message serializer that a module of rpcenv's own adds (rpcenv-kryo), found with {@link
 * java.util.ServiceLoader} by the name {@code spark.rpc.serializer} gives. Not API: the interface
 * changes with rpcenv-core, and only modules released with it implement it.
 */
public interface SerializerProvider {
  /** The value of {@code spark.rpc.serializer} that chooses it, e.g. "kryo". */
  String name();

  /**
   * A serializer that resolves classes through {@code loader} and deserializes only what {@code
   * policy} allows, with the same limits; {@code java} writes and reads what it leaves to Java
   * serialization and the fast paths.
   */
  MessageSerializer create(
      ClassLoader loader, DeserializationPolicy policy, JavaMessageSerializer java);
}
