package io.rpcenv.internal.files;

import io.rpcenv.internal.transport.FileSlice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A file as it was when added: where it is, its length, its modification time, its SHA-256 and the
 * CRC32C of each {@link #BLOCK}-byte block. Reads check that it is still that file; readers check
 * each block they receive against its CRC32C.
 */
@SuppressWarnings("ArrayRecordComponent") // never compared; made once and only read
record ServedFile(Path file, long length, long modifiedMillis, String sha256, int[] blockCrcs) {
  /** The unit of a read and of its check: a reader asks for whole blocks. */
  static final int BLOCK = 256 << 10;

  /** Reads {@code file} once to take its digest and its blocks' checksums. */
  static ServedFile of(Path file) {
    Path real;
    BasicFileAttributes attrs;
    try {
      real = file.toRealPath();
      attrs = Files.readAttributes(real, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot serve " + file + ": " + e, e);
    }
    if (!attrs.isRegularFile()) {
      throw new IllegalArgumentException("Cannot serve " + file + ": not a regular file");
    }
    try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ)) {
      MessageDigest sha = newDigest();
      CRC32C crc = new CRC32C();
      ByteBuffer buf = ByteBuffer.allocate(BLOCK);
      int[] crcs = new int[blocks(attrs.size())];
      int block = 0;
      boolean more = true;
      while (more) {
        more = ch.read(buf) >= 0;
        if (buf.position() > 0 && (!buf.hasRemaining() || !more)) {
          buf.flip();
          sha.update(buf.duplicate());
          crc.reset();
          crc.update(buf);
          if (block == crcs.length) {
            throw new IOException(file + " grew while it was read");
          }
          crcs[block++] = (int) crc.getValue();
          buf.clear();
        }
      }
      if (block != crcs.length) {
        throw new IOException(file + " shrank while it was read");
      }
      return new ServedFile(
          real,
          attrs.size(),
          attrs.lastModifiedTime().toMillis(),
          HexFormat.of().formatHex(sha.digest()),
          crcs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + " to serve it", e);
    }
  }

  /** How many blocks {@code length} bytes make. */
  static int blocks(long length) {
    long n = (length + BLOCK - 1) / BLOCK;
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("A file of " + length + " bytes is too large to serve");
    }
    return (int) n;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /**
   * {@code length} bytes from {@code offset}, as a reply that sends them from the file.
   *
   * @throws IOException if the file is gone, changed since it was added, or shorter than then
   */
  FileSlice slice(long offset, int length) throws IOException {
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new IOException(file + " is gone since it was added to the file server (" + e + ")", e);
    }
    if (now.size() != this.length || now.lastModifiedTime().toMillis() != modifiedMillis) {
      throw new IOException(
          file
              + " changed since it was added to the file server (length "
              + this.length
              + " then, "
              + now.size()
              + " now): add it again to serve the new content");
    }
    if (offset < 0 || length < 0 || offset + length > this.length) {
      throw new IOException(
          "Bytes " + offset + "+" + length + " are outside " + file + " (" + this.length + ")");
    }
    return new FileSlice(file, offset, length);
  }
}
