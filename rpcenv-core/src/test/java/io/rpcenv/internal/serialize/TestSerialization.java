package io.rpcenv.internal.serialize;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;

/** The env's serializer with its default policy, for tests that craft or check message bodies. */
public final class TestSerialization {
  private TestSerialization() {}

  /**
   * The default policy: built-in allow-list, default limits, for messages of {@code maxSize} bytes.
   */
  public static DeserializationPolicy policy(long maxSize) {
    return new DeserializationPolicy(List.of(), 20, 1_000_000, maxSize, maxSize + 1024);
  }

  public static JavaMessageSerializer serializer() {
    return new JavaMessageSerializer(TestSerialization.class.getClassLoader(), policy(128L << 20));
  }

  /** {@code value} as a message body: its serializer tag and the serialized value. */
  public static byte[] body(Object value) throws IOException {
    ByteBuf b = Unpooled.buffer();
    try {
      serializer().write(value, b);
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }
}
