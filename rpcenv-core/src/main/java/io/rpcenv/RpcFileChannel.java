package io.rpcenv;

import java.nio.channels.ReadableByteChannel;

/**
 * A file another env serves, as {@link RpcEnv#openChannel(String)} opens it: what it is comes first
 * (its length and SHA-256, so a reader can check a cache before reading a byte), its content as it
 * is read. Every block of 256 KiB is checked as it arrives against the CRC32C the server took of it
 * when the file was added, in the same read as the SHA-256: a read that ends the stream returns -1
 * only once every byte arrived and matched. A connection lost mid-stream, a short or changed file,
 * or a mismatched block fails the read with an {@code IOException} naming the URI, the peer and the
 * byte.
 *
 * <p>The reader does not recompute the SHA-256: it would cap a read at the speed of SHA-256 on one
 * core (about 1.7 GB/s) and would check nothing more, since the expected value comes from the same
 * peer over the same connection as the checksums. A reader that keys a cache by {@link #sha256()}
 * should hash what it stores, as rpcenv's runtime does with the jars it caches.
 */
public interface RpcFileChannel extends ReadableByteChannel {
  /** The file's length in bytes. */
  long length();

  /** The SHA-256 of its content (lowercase hex), taken by the server when the file was added. */
  String sha256();
}
