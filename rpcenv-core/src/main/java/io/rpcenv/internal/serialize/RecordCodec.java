package io.rpcenv.internal.serialize;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.rpcenv.internal.serialize.RecordShape.Kind;
import io.rpcenv.internal.serialize.RecordShape.Value;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes and reads records of simple components (see {@link RecordShape}) without the object
 * stream: the class name, the shape hash, then each component. Reading applies the same policy as
 * Java deserialization: the class must be on the allow-list before it is loaded, arrays,
 * collections and nesting are held to the limits before anything is allocated for them, and the
 * record is built by its canonical constructor.
 */
final class RecordCodec {
  private final ClassLoader loader;
  private final DeserializationPolicy policy;

  /** Classes resolved by name; only classes that exist and are allowed get here. */
  private final ConcurrentHashMap<String, Class<?>> classes = new ConcurrentHashMap<>();

  RecordCodec(ClassLoader loader, DeserializationPolicy policy) {
    this.loader = loader;
    this.policy = policy;
  }

  /**
   * Writes {@code value}, whose class has {@code shape}: name, hash, components.
   *
   * @throws CollectionCodec.NotWritable if a collection in it is of a class the fast path does not
   *     keep (the caller then writes the whole value with Java serialization)
   */
  static void write(Object value, RecordShape shape, ByteBuf out)
      throws IOException, CollectionCodec.NotWritable {
    byte[] name = shape.type.getName().getBytes(StandardCharsets.UTF_8);
    out.writeShort(name.length).writeBytes(name).writeInt(shape.hash);
    writeComponents(value, shape, out);
  }

  private static void writeComponents(Object value, RecordShape shape, ByteBuf out)
      throws IOException, CollectionCodec.NotWritable {
    for (int i = 0; i < shape.components.length; i++) {
      Object v;
      try {
        v = shape.getters[i].invokeExact(value);
      } catch (Throwable t) {
        throw new IOException("accessor " + i + " of " + shape.type.getName() + " failed: " + t, t);
      }
      writeValue(shape.components[i], v, out);
    }
  }

  /** One value: raw for a primitive kind, else a presence byte and, if present, the value. */
  static void writeValue(Value type, Object v, ByteBuf out)
      throws IOException, CollectionCodec.NotWritable {
    Kind k = type.kind();
    if (!k.primitive()) {
      if (v == null) {
        out.writeByte(0);
        return;
      }
      out.writeByte(1);
    }
    try {
      switch (k) {
        case BOOLEAN, BOXED_BOOLEAN -> out.writeBoolean((Boolean) v);
        case BYTE, BOXED_BYTE -> out.writeByte((Byte) v);
        case SHORT, BOXED_SHORT -> out.writeShort((Short) v);
        case CHAR, BOXED_CHAR -> out.writeChar((Character) v);
        case INT, BOXED_INT -> out.writeInt((Integer) v);
        case LONG, BOXED_LONG -> out.writeLong((Long) v);
        case FLOAT, BOXED_FLOAT -> out.writeFloat((Float) v);
        case DOUBLE, BOXED_DOUBLE -> out.writeDouble((Double) v);
        case STRING -> {
          int at = out.writerIndex();
          out.writeInt(0);
          out.setInt(at, ByteBufUtil.writeUtf8(out, (String) v));
        }
        case BYTES -> out.writeInt(((byte[]) v).length).writeBytes((byte[]) v);
        case RECORD -> writeComponents(v, type.shape(), out);
        case LIST, SET, MAP -> CollectionCodec.write(type, v, out);
      }
    } catch (ClassCastException wrongElement) {
      throw new CollectionCodec.NotWritable(); // a collection holding what its type does not say
    }
  }

  /** Reads a record written by {@link #write}. */
  Object read(ByteBuf in) throws IOException {
    String name = in.readCharSequence(in.readUnsignedShort(), StandardCharsets.UTF_8).toString();
    Class<?> type = resolve(name);
    RecordShape shape = RecordShape.of(type);
    if (shape == null) {
      throw new InvalidClassException(
          name,
          "arrived as a record of simple components, but this side's class is "
              + "not one (deploy the same version of it on both sides)");
    }
    if (in.readInt() != shape.hash) {
      throw new InvalidClassException(
          name,
          "its components differ between sender and receiver (deploy the same "
              + "version of it on both sides)");
    }
    return readComponents(in, shape, 1, new long[] {1});
  }

  private Class<?> resolve(String name) throws IOException {
    Class<?> known = classes.get(name);
    if (known != null) {
      return known;
    }
    if (!policy.allows(name)) {
      throw policy.notAllowed(name);
    }
    try {
      Class<?> c = Class.forName(name, false, loader);
      classes.put(name, c);
      return c;
    } catch (ClassNotFoundException e) {
      InvalidClassException ice =
          new InvalidClassException(name, "class not found on the receiving side");
      ice.initCause(e);
      throw ice;
    }
  }

  private Object readComponents(ByteBuf in, RecordShape shape, int depth, long[] references)
      throws IOException {
    if (depth > policy.maxDepth()) {
      throw policy.tooDeep();
    }
    if (depth > 1 && !policy.allows(shape.type.getName())) {
      throw policy.notAllowed(shape.type.getName());
    }
    Object[] args = new Object[shape.components.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = readValue(shape.components[i], in, depth, references, shape.type);
    }
    try {
      return shape.constructor.invokeExact(args);
    } catch (Throwable t) {
      InvalidObjectException e =
          new InvalidObjectException(shape.type.getName() + " rejected its components: " + t);
      e.initCause(t);
      throw e;
    }
  }

  /** One value written by {@link #writeValue}, inside a record of class {@code owner}. */
  Object readValue(Value type, ByteBuf in, int depth, long[] references, Class<?> owner)
      throws IOException {
    Kind k = type.kind();
    if (!k.primitive()) {
      byte present = in.readByte();
      if (present == 0) {
        return null;
      }
      if (present != 1) {
        throw new StreamCorruptedException(
            "bad presence byte " + present + " in " + owner.getName());
      }
      if (++references[0] > policy.maxReferences()) {
        throw policy.tooManyReferences();
      }
    }
    return switch (k) {
      case BOOLEAN, BOXED_BOOLEAN -> in.readBoolean();
      case BYTE, BOXED_BYTE -> in.readByte();
      case SHORT, BOXED_SHORT -> in.readShort();
      case CHAR, BOXED_CHAR -> in.readChar();
      case INT, BOXED_INT -> in.readInt();
      case LONG, BOXED_LONG -> in.readLong();
      case FLOAT, BOXED_FLOAT -> in.readFloat();
      case DOUBLE, BOXED_DOUBLE -> in.readDouble();
      case STRING -> in.readCharSequence(length(in, 1, false), StandardCharsets.UTF_8).toString();
      case BYTES -> {
        byte[] b = new byte[length(in, 1, true)];
        in.readBytes(b);
        yield b;
      }
      case RECORD -> readComponents(in, type.shape(), depth + 1, references);
      case LIST, SET, MAP -> CollectionCodec.read(this, type, in, depth + 1, references, owner);
    };
  }

  /**
   * A length or count prefix, checked against what is left, each unit taking at least {@code
   * unitBytes} bytes, and for arrays and collections against the array limit, before use.
   */
  int length(ByteBuf in, int unitBytes, boolean array) throws IOException {
    return prefix(in, unitBytes, array, "length ");
  }

  /** A collection's element count, as {@link #length} checks it. */
  int count(ByteBuf in, int unitBytes) throws IOException {
    return prefix(in, unitBytes, true, "count ");
  }

  private int prefix(ByteBuf in, int unitBytes, boolean array, String what) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.readableBytes() / unitBytes) {
      throw new StreamCorruptedException(
          what + n + " exceeds the " + in.readableBytes() + " bytes left");
    }
    if (array && n > policy.maxArrayLength()) {
      throw policy.arrayTooLong(n);
    }
    return n;
  }

  DeserializationPolicy policy() {
    return policy;
  }
}
