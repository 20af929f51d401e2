package io.rpcenv.internal.transport;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A reply whose content is {@code count} bytes of a file from {@code position}: it arrives as a
 * {@code byte[]}. On a plaintext connection the bytes go from the file to the socket ({@link
 * #region()}, sendfile where the transport has it); under TLS, or to an asker in the same env, they
 * are read first ({@link #read()}). Deliberately not {@code Serializable}: it can only be made in
 * this process, never received.
 */
public record FileSlice(Path file, long position, int count) {
  /** The bytes as a region for the channel; opened when written, closed when released. */
  FileRegion region() {
    return new DefaultFileRegion(file.toFile(), position, count);
  }

  /** The bytes, read now. */
  public byte[] read() throws IOException {
    byte[] bytes = new byte[count];
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buf.hasRemaining()) {
        if (ch.read(buf, position + buf.position()) < 0) {
          throw new IOException(
              file
                  + " ended at "
                  + (position + buf.position())
                  + " bytes, before "
                  + count
                  + " bytes from "
                  + position
                  + " could be read");
        }
      }
    }
    return bytes;
  }
}
