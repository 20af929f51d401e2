package io.rpcenv.internal.serialize;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Reads Java-serialized messages: resolves classes through the env's class loader and replaces
 * serialized endpoint refs with refs bound to the receiving env.
 */
final class RpcObjectInputStream extends ObjectInputStream {
  private final ClassLoader loader;
  private final RefResolver refs;

  RpcObjectInputStream(InputStream in, ClassLoader loader, RefResolver refs) throws IOException {
    super(in);
    this.loader = loader;
    this.refs = refs;
    enableResolveObject(true);
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc)
      throws IOException, ClassNotFoundException {
    try {
      return Class.forName(desc.getName(), false, loader);
    } catch (ClassNotFoundException e) {
      return super.resolveClass(desc); // primitives and classes only the caller's loader sees
    }
  }

  @Override
  protected Object resolveObject(Object obj) {
    return obj instanceof SerializedRef ref ? refs.resolve(ref) : obj;
  }
}
