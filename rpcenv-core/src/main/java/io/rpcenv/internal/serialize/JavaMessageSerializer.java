package io.rpcenv.internal.serialize;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;

/**
 * Java serialization with a one-byte tag in front, so that the commonest bodies (null, byte arrays,
 * strings, boxed ints, longs and booleans, and records of simple components, see {@link
 * RecordShape}) skip the object-stream machinery entirely.
 */
public final class JavaMessageSerializer implements MessageSerializer {
  static final byte NULL = 0;
  static final byte JAVA = 1;
  static final byte BYTES = 2;
  static final byte STRING = 3;
  static final byte INT = 4;
  static final byte LONG = 5;
  static final byte TRUE = 6;
  static final byte FALSE = 7;
  static final byte RECORD = 8;

  /**
   * A body written by a serializer module (rpcenv-kryo): only an env configured for it reads it.
   */
  public static final byte KRYO = 9;

  private final ClassLoader loader;
  private final DeserializationPolicy policy;
  private final RecordCodec records;

  /** Resolves classes through {@code loader}; deserializes only what {@code policy} allows. */
  public JavaMessageSerializer(ClassLoader loader, DeserializationPolicy policy) {
    this.loader = loader;
    this.policy = policy;
    this.records = new RecordCodec(loader, policy);
  }

  @Override
  public void write(Object value, ByteBuf out) throws IOException {
    if (!writeFast(value, out)) {
      writeJava(value, out);
    }
  }

  /**
   * Writes {@code value} if a fast path takes it (null, {@code byte[]}, {@code String}, {@code
   * Integer}, {@code Long}, {@code Boolean}, a record of simple components); false, with nothing
   * written, for anything else.
   */
  public boolean writeFast(Object value, ByteBuf out) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof byte[] bytes) {
      out.writeByte(BYTES).writeBytes(bytes);
    } else if (value instanceof String s) {
      out.writeByte(STRING);
      ByteBufUtil.writeUtf8(out, s);
    } else if (value instanceof Integer i) {
      out.writeByte(INT).writeInt(i);
    } else if (value instanceof Long l) {
      out.writeByte(LONG).writeLong(l);
    } else if (value instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else {
      return value instanceof Record && writeRecord(value, out);
    }
    return true;
  }

  /** Writes {@code value} with Java serialization. */
  public void writeJava(Object value, ByteBuf out) throws IOException {
    out.writeByte(JAVA);
    try (ObjectOutputStream oos = new ObjectOutputStream(new ByteBufOutputStream(out))) {
      oos.writeObject(value);
    }
  }

  /** Writes a record of simple components; false (nothing written) for any other record. */
  private static boolean writeRecord(Object value, ByteBuf out) throws IOException {
    RecordShape shape = RecordShape.of(value.getClass());
    if (shape == null) {
      return false;
    }
    int start = out.writerIndex();
    out.writeByte(RECORD);
    try {
      RecordCodec.write(value, shape, out);
      return true;
    } catch (CollectionCodec.NotWritable e) {
      out.writerIndex(start); // a collection only Java serialization keeps as it is
      return false;
    }
  }

  @Override
  public Object read(ByteBuf in, RefResolver refs) throws IOException, ClassNotFoundException {
    if (!in.isReadable()) {
      throw new StreamCorruptedException("empty message body");
    }
    byte tag = in.readByte();
    try {
      return readTagged(tag, in, refs);
    } catch (IndexOutOfBoundsException truncated) {
      throw new StreamCorruptedException(
          "the message body ends early: its "
              + in.writerIndex()
              + " bytes are too "
              + "few for what its serializer tag ("
              + tag
              + ") and contents announce");
    }
  }

  private Object readTagged(byte tag, ByteBuf in, RefResolver refs)
      throws IOException, ClassNotFoundException {
    switch (tag) {
      case NULL:
        return null;
      case BYTES:
        {
          byte[] bytes = new byte[in.readableBytes()];
          in.readBytes(bytes);
          return bytes;
        }
      case STRING:
        return in.readCharSequence(in.readableBytes(), StandardCharsets.UTF_8).toString();
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case TRUE:
        return true;
      case FALSE:
        return false;
      case JAVA:
        return readJava(new ByteBufInputStream(in), in.readableBytes(), refs);
      case RECORD:
        return records.read(in);
      case KRYO:
        throw new StreamCorruptedException(
            "the sender wrote this message with Kryo (spark.rpc.serializer=kryo), which this env"
                + " does not read: set spark.rpc.serializer=kryo here too, with rpcenv-kryo on the"
                + " class path");
      default:
        throw new StreamCorruptedException("unknown body tag " + tag);
    }
  }

  /** A large body: a byte array is handed back as it is, with no copy. */
  @Override
  public Object read(byte tag, byte[] rest, RefResolver refs)
      throws IOException, ClassNotFoundException {
    switch (tag) {
      case BYTES:
        return rest;
      case STRING:
        return new String(rest, StandardCharsets.UTF_8);
      case JAVA:
        return readJava(new ByteArrayInputStream(rest), rest.length, refs);
      default:
        return MessageSerializer.super.read(tag, rest, refs);
    }
  }

  /**
   * Reads an object stream of {@code length} bytes; no array is allocated larger than they could
   * fill.
   */
  private Object readJava(InputStream in, long length, RefResolver refs)
      throws IOException, ClassNotFoundException {
    DeserializationPolicy.Filter filter = policy.newFilter(length);
    try (ObjectInputStream ois = new RpcObjectInputStream(in, loader, refs)) {
      ois.setObjectInputFilter(filter);
      return ois.readObject();
    } catch (IOException e) {
      // a rejection can surface through a class's own readObject as another IOException
      if (filter.rejection() != null) {
        throw filter.rejected(e);
      }
      throw e;
    } catch (RuntimeException e) {
      // A broken stream can make the object stream, or a class's own readObject, throw anything.
      if (filter.rejection() != null) {
        throw filter.rejected(new IOException(e));
      }
      StreamCorruptedException corrupt =
          new StreamCorruptedException(
              "the message body is not a valid Java " + "serialization stream: " + e);
      corrupt.initCause(e);
      throw corrupt;
    }
  }
}
