package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcAddress;

/**
 * What each side says first: its env id, and the address it listens on (none in client mode).
 *
 * @param envId random id of the env, unique per process run
 * @param listenAddress where the env listens, or null for a client-mode env
 */
record Hello(long envId, RpcAddress listenAddress) {

  void writeTo(ByteBuf out) {
    out.writeByte(listenAddress == null ? Protocol.FLAG_CLIENT_MODE : 0);
    out.writeLong(envId);
    if (listenAddress != null) {
      Frames.writeUtf8Short(out, listenAddress.host());
      out.writeInt(listenAddress.port());
    }
  }

  static Hello readFrom(ByteBuf in, String peer) {
    try {
      byte flags = in.readByte();
      long envId = in.readLong();
      RpcAddress address = null;
      if ((flags & Protocol.FLAG_CLIENT_MODE) == 0) {
        String host = Frames.readUtf8Short(in);
        address = new RpcAddress(host, in.readInt());
      }
      if (in.isReadable()) {
        throw new ProtocolException("Malformed handshake from " + peer + ": " + in.readableBytes() + " extra bytes");
      }
      return new Hello(envId, address);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new ProtocolException("Malformed handshake from " + peer + ": " + e.getMessage());
    }
  }
}
