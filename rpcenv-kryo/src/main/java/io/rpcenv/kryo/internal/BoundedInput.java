package io.rpcenv.kryo.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import io.rpcenv.internal.serialize.DeserializationPolicy;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;

/**
 * A Kryo input over a whole message body in memory, where nothing the bytes declare is allocated
 * before it is checked: every array or string length against the bytes still unread (so a forged
 * length cannot reserve memory the message does not hold) and arrays against {@code
 * spark.rpc.serializer.maxArrayLength}. Strings use {@link BoundedOutput}'s format: a length in
 * bytes, then UTF-8.
 */
final class BoundedInput extends Input {
  private final DeserializationPolicy policy;

  BoundedInput(DeserializationPolicy policy) {
    this.policy = policy;
  }

  /** Bytes not yet read: all there is, since the body is in memory whole. */
  int left() {
    return limit - position;
  }

  /**
   * Checks an array of {@code length} elements of at least {@code minBytes} bytes each before it is
   * allocated.
   */
  void checkArray(int length, int minBytes) {
    if (length < 0 || length > left() / minBytes) {
      throw new KryoException(
          new StreamCorruptedException(
              "the message declares "
                  + length
                  + " elements of "
                  + minBytes
                  + "+ bytes, more than the "
                  + left()
                  + " bytes left could hold"));
    }
    if (length > policy.maxArrayLength()) {
      throw new KryoException(policy.arrayTooLong(length));
    }
  }

  @Override
  public byte[] readBytes(int length) {
    checkArray(length, 1);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    checkArray(length, 4);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    checkArray(length, 1);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    checkArray(length, 8);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    checkArray(length, 1);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    checkArray(length, 4);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    checkArray(length, 8);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    checkArray(length, 2);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    checkArray(length, 2);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    checkArray(length, 1);
    return super.readBooleans(length);
  }

  @Override
  public String readString() {
    int n = readVarInt(true);
    if (n == 0) {
      return null;
    }
    int bytes = n - 1;
    if (bytes > left()) {
      throw new KryoException(
          new StreamCorruptedException(
              "the message declares a string of "
                  + bytes
                  + " bytes with "
                  + left()
                  + " bytes left"));
    }
    String s = new String(buffer, position, bytes, StandardCharsets.UTF_8);
    position += bytes;
    return s;
  }

  @Override
  public StringBuilder readStringBuilder() {
    String s = readString();
    return s == null ? null : new StringBuilder(s);
  }
}
