package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rpcenv.RpcAddress;

/**
 * What each side says first: its env id, the address it listens on (none in client mode), and, when
 * it authenticates, a fresh nonce.
 *
 * @param envId random id of the env, unique per process run
 * @param window messages to one endpoint the env accepts in progress from one connection
 * @param windowBytes what those messages may weigh together ({@link Protocol#weight})
 * @param listenAddress where the env listens, or null for a client-mode env
 * @param nonce 32 fresh random bytes when authenticating, else null
 */
@SuppressWarnings("ArrayRecordComponent") // never compared: the nonce is read once, then dropped
record Hello(long envId, int window, long windowBytes, RpcAddress listenAddress, byte[] nonce) {
  static final int NONCE_LENGTH = 32;
  static final int PROOF_LENGTH = 32;

  Hello(long envId, int window, long windowBytes, RpcAddress listenAddress) {
    this(envId, window, windowBytes, listenAddress, null);
  }

  boolean authenticates() {
    return nonce != null;
  }

  /** The payload as sent: what both proofs are computed over. */
  byte[] bytes() {
    ByteBuf b = Unpooled.buffer(64);
    try {
      writeTo(b);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  void writeTo(ByteBuf out) {
    int flags =
        (listenAddress == null ? Protocol.FLAG_CLIENT_MODE : 0)
            | (nonce != null ? Protocol.FLAG_AUTH : 0);
    out.writeByte(flags);
    out.writeLong(envId);
    out.writeInt(window);
    out.writeLong(windowBytes);
    if (listenAddress != null) {
      Frames.writeUtf8Short(out, listenAddress.host());
      out.writeInt(listenAddress.port());
    }
    if (nonce != null) {
      out.writeBytes(nonce);
    }
  }

  static Hello readFrom(ByteBuf in, String peer) {
    try {
      byte flags = in.readByte();
      if ((flags & ~(Protocol.FLAG_CLIENT_MODE | Protocol.FLAG_AUTH)) != 0) {
        throw new ProtocolException(
            "Malformed handshake from " + peer + ": unknown flags " + flags);
      }
      long envId = in.readLong();
      int window = in.readInt();
      if (window < 1) {
        throw new ProtocolException(
            "Malformed handshake from " + peer + ": a window of " + window + " messages");
      }
      long windowBytes = in.readLong();
      if (windowBytes < 1) {
        throw new ProtocolException(
            "Malformed handshake from " + peer + ": a window of " + windowBytes + " bytes");
      }
      RpcAddress address = null;
      if ((flags & Protocol.FLAG_CLIENT_MODE) == 0) {
        String host = Frames.readUtf8Short(in);
        address = new RpcAddress(host, in.readInt());
      }
      byte[] nonce = null;
      if ((flags & Protocol.FLAG_AUTH) != 0) {
        nonce = new byte[NONCE_LENGTH];
        in.readBytes(nonce);
      }
      if (in.isReadable()) {
        throw new ProtocolException(
            "Malformed handshake from " + peer + ": " + in.readableBytes() + " extra bytes");
      }
      return new Hello(envId, window, windowBytes, address, nonce);
    } catch (IndexOutOfBoundsException e) {
      throw new ProtocolException(
          "Malformed handshake from " + peer + ": it ends inside its fields");
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("Malformed handshake from " + peer + ": " + e.getMessage());
    }
  }
}
