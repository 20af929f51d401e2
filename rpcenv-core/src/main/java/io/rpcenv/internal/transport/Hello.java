package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rpcenv.RpcAddress;

/**
 * What each side says first: its env id, the address it listens on (none in client mode), and,
 * when it authenticates, a fresh nonce (and, from the accepting side, its proof).
 *
 * @param envId random id of the env, unique per process run
 * @param listenAddress where the env listens, or null for a client-mode env
 * @param nonce 32 fresh random bytes when authenticating, else null
 * @param proof the accepting side's proof (32 bytes), else null
 */
record Hello(long envId, RpcAddress listenAddress, byte[] nonce, byte[] proof) {
  static final int NONCE_LENGTH = 32;
  static final int PROOF_LENGTH = 32;

  Hello(long envId, RpcAddress listenAddress) {
    this(envId, listenAddress, null, null);
  }

  boolean authenticates() {
    return nonce != null;
  }

  Hello withProof(byte[] p) {
    return new Hello(envId, listenAddress, nonce, p);
  }

  /**
   * The payload as sent, without the trailing proof: what both proofs are computed over.
   * {@code proofFollows} says whether a proof will be appended (its flag is part of the bytes).
   */
  byte[] unprovenBytes(boolean proofFollows) {
    ByteBuf b = Unpooled.buffer(64);
    try {
      writeFields(b, proofFollows);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  void writeTo(ByteBuf out) {
    writeFields(out, proof != null);
    if (proof != null) {
      out.writeBytes(proof);
    }
  }

  private void writeFields(ByteBuf out, boolean proofFollows) {
    int flags = (listenAddress == null ? Protocol.FLAG_CLIENT_MODE : 0) | (nonce != null ? Protocol.FLAG_AUTH : 0)
        | (proofFollows ? Protocol.FLAG_PROOF : 0);
    out.writeByte(flags);
    out.writeLong(envId);
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
      long envId = in.readLong();
      RpcAddress address = null;
      if ((flags & Protocol.FLAG_CLIENT_MODE) == 0) {
        String host = Frames.readUtf8Short(in);
        address = new RpcAddress(host, in.readInt());
      }
      byte[] nonce = null;
      byte[] proof = null;
      if ((flags & Protocol.FLAG_AUTH) != 0) {
        nonce = new byte[NONCE_LENGTH];
        in.readBytes(nonce);
      }
      if ((flags & Protocol.FLAG_PROOF) != 0) {
        proof = new byte[PROOF_LENGTH];
        in.readBytes(proof);
      }
      if (in.isReadable()) {
        throw new ProtocolException("Malformed handshake from " + peer + ": " + in.readableBytes() + " extra bytes");
      }
      return new Hello(envId, address, nonce, proof);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new ProtocolException("Malformed handshake from " + peer + ": " + e.getMessage());
    }
  }
}
