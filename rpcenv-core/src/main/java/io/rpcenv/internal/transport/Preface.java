package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Checks the preface a peer opens a connection with: the protocol's magic and its version. */
final class Preface {
  private Preface() {}

  /**
   * What is wrong with the preface at the start of {@code in} (at least {@link
   * Protocol#PREFACE_LENGTH} bytes, left unread), or null if nothing is.
   *
   * @param peer the remote address, for the error text
   */
  static ProtocolException problem(ByteBuf in, Object peer) {
    int magic = in.getInt(in.readerIndex());
    byte version = in.getByte(in.readerIndex() + 4);
    if (magic != Protocol.MAGIC) {
      return new ProtocolException(
          "Connection with "
              + peer
              + " does not speak the rpcenv protocol (first bytes: "
              + ByteBufUtil.hexDump(in, in.readerIndex(), Protocol.PREFACE_LENGTH)
              + ", \""
              + printable(in, in.readerIndex(), Protocol.PREFACE_LENGTH)
              + "\")");
    }
    if (version != Protocol.VERSION) {
      return new ProtocolException(
          "Peer "
              + peer
              + " speaks rpcenv protocol version "
              + version
              + ", this env speaks version "
              + Protocol.VERSION
              + " (run the same rpcenv version on both sides)");
    }
    return null;
  }

  private static String printable(ByteBuf in, int from, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = from; i < from + length; i++) {
      int c = in.getUnsignedByte(i);
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
    }
    return sb.toString();
  }
}
