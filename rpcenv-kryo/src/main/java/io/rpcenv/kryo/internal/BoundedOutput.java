package io.rpcenv.kryo.internal;

import com.esotericsoftware.kryo.io.Output;
import java.nio.charset.StandardCharsets;

/**
 * A growing Kryo output that writes strings as {@link BoundedInput} reads them: a length in bytes
 * plus one (0 for null), then UTF-8, so that a reader can check the length before it allocates.
 */
final class BoundedOutput extends Output {
  BoundedOutput(int bufferSize) {
    super(bufferSize, -1);
  }

  @Override
  public void writeString(String value) {
    if (value == null) {
      writeVarInt(0, true);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeVarInt(utf8.length + 1, true);
    writeBytes(utf8);
  }

  @Override
  public void writeAscii(String value) {
    writeString(value);
  }
}
