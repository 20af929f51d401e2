package io.rpcenv;

import java.nio.channels.ReadableByteChannel;

/**
 * A file another env serves, as {@link RpcEnv#openChannel(String)} opens it: what it is comes first
 * (its length and SHA-256, so a reader can check a cache before reading a byte), its content as it
 * is read. A read that ends the stream returns -1 only once every byte arrived and matched the
 * digest.
 */
public interface RpcFileChannel extends ReadableByteChannel {
  /** The file's length in bytes. */
  long length();

  /** The SHA-256 of its content (lowercase hex), taken by the server when the file was added. */
  String sha256();
}
