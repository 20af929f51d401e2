package io.rpcenv.internal.files;

import java.io.Serializable;

/** What a reader and a file server say to each other, as asks to {@link #ENDPOINT}. */
final class FileMessages {
  private FileMessages() {}

  /** The name of every env's file server endpoint. */
  static final String ENDPOINT = "rpcenv-file-server";

  /** Reader to server: what is at {@code path} (as in the URI, {@code /jars/a.jar})? */
  record Open(String path) implements Serializable {}

  /**
   * Server to reader: the file's length, its SHA-256 (hex) and the CRC32C of each block of {@code
   * blockSize} bytes, all as taken when it was added. The reader asks for whole blocks.
   */
  @SuppressWarnings("ArrayRecordComponent") // a message: never compared, only read
  record Opened(long length, String sha256, int blockSize, int[] blockCrcs)
      implements Serializable {}

  /** Reader to server: {@code length} bytes of {@code path} from {@code offset}. */
  record Read(String path, long offset, int length) implements Serializable {}

  // Server to reader: the bytes asked for, all of them, as a plain byte[] (sent from the file, see
  // FileSlice): a large byte[] reply arrives in the array its frame was assembled in.
}
