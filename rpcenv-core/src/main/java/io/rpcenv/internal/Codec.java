package io.rpcenv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.rpcenv.RpcSerializationException;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;
import io.rpcenv.internal.serialize.SerializedRef;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.MessageBody;
import java.io.IOException;
import java.util.function.BiFunction;

/** The env's serializer, allocator and size limit, and how refs read off a connection are bound. */
final class Codec {
  final MessageSerializer serializer;
  final ByteBufAllocator alloc;
  final long maxSize;
  private final BiFunction<SerializedRef, Connection, io.rpcenv.RpcEndpointRef> binder;

  Codec(MessageSerializer serializer, ByteBufAllocator alloc, long maxSize,
      BiFunction<SerializedRef, Connection, io.rpcenv.RpcEndpointRef> binder) {
    this.serializer = serializer;
    this.alloc = alloc;
    this.maxSize = maxSize;
    this.binder = binder;
  }

  /** Reads a body that arrived on {@code connection}; refs in it are bound to that connection. */
  Object decode(MessageBody body, Connection connection) throws IOException, ClassNotFoundException {
    return body.read(serializer, resolverFor(connection));
  }

  RefResolver resolverFor(Connection connection) {
    return ref -> binder.apply(ref, connection);
  }

  /**
   * Serializes and deserializes {@code value} as if it crossed the network, for the test mode that
   * serializes local messages; fails the same way a remote send would.
   */
  Object roundTrip(Object value, String what) {
    ByteBuf buf = Unpooled.buffer();
    try {
      try {
        serializer.write(value, buf);
      } catch (IOException | RuntimeException e) {
        throw new RpcSerializationException("Cannot serialize " + value.getClass().getName() + " for the " + what
            + ": " + e + " (spark.rpc.serializeLocalMessages=true serializes local messages too). Messages and "
            + "replies must implement java.io.Serializable.", e);
      }
      try {
        return serializer.read(buf, resolverFor(null));
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        throw new RpcSerializationException("Cannot deserialize " + value.getClass().getName() + " for the " + what
            + ": " + e, e);
      }
    } finally {
      buf.release();
    }
  }
}
