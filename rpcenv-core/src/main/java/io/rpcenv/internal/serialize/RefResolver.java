package io.rpcenv.internal.serialize;

import io.rpcenv.RpcEndpointRef;

/** Turns a ref read off the wire into a ref bound to the receiving env (and connection). */
@FunctionalInterface
public interface RefResolver {
  RpcEndpointRef resolve(SerializedRef ref);

  /** Leaves refs unbound: they fail with a clear error when used. */
  RefResolver UNBOUND = ref -> ref;
}
