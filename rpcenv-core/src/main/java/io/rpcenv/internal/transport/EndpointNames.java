package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the endpoint name of a request or one-way frame, reusing the last name read when the bytes
 * are the same: a connection usually talks to few endpoints, and a reused {@code String} keeps its
 * cached hash for the endpoint lookup that follows. One per connection, event loop only.
 */
final class EndpointNames {
  private byte[] lastBytes = new byte[0];
  private String last = "";

  /** Reads a name written as an unsigned-short length and UTF-8 bytes. */
  String read(ByteBuf in) {
    int n = in.readUnsignedShort();
    if (n > Protocol.MAX_ENDPOINT_NAME) {
      throw new ProtocolException(
          "an endpoint name of "
              + n
              + " bytes, longer than the protocol's limit of "
              + Protocol.MAX_ENDPOINT_NAME
              + " bytes");
    }
    if (n > in.readableBytes()) {
      throw new ProtocolException(
          "an endpoint name of "
              + n
              + " bytes, but only "
              + in.readableBytes()
              + " bytes are left in the frame");
    }
    if (n == lastBytes.length && sameAsLast(in, in.readerIndex(), n)) {
      in.skipBytes(n);
      return last;
    }
    byte[] bytes = new byte[n];
    in.readBytes(bytes);
    lastBytes = bytes;
    last = new String(bytes, StandardCharsets.UTF_8);
    return last;
  }

  private boolean sameAsLast(ByteBuf in, int from, int n) {
    byte[] b = lastBytes;
    for (int i = n - 1; i >= 0; i--) { // names often share a prefix and differ at the end
      if (in.getByte(from + i) != b[i]) {
        return false;
      }
    }
    return true;
  }
}
