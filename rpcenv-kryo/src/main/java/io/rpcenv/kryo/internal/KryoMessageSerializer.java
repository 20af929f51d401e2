package io.rpcenv.kryo.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.util.Pool;
import io.netty.buffer.ByteBuf;
import io.rpcenv.internal.serialize.DeserializationPolicy;
import io.rpcenv.internal.serialize.JavaMessageSerializer;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;
import java.io.IOException;
import java.io.StreamCorruptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages with Kryo where rpcenv's own fast paths do not apply: {@code byte[]}, strings, boxes and
 * records of simple components keep their tags; any other message is written with {@link
 * PolicyKryo} behind the {@link JavaMessageSerializer#KRYO} tag, or, if it holds a class Kryo does
 * not carry here, with Java serialization (which this serializer reads too). Reading applies the
 * same allow-list and limits as the Java path.
 */
final class KryoMessageSerializer implements MessageSerializer {
  private static final Logger LOG = LoggerFactory.getLogger(KryoMessageSerializer.class);

  /** An output grown past this is not kept for the next message. */
  private static final int KEPT_OUTPUT = 1 << 20;

  private final JavaMessageSerializer java;
  private final Pool<Worker> workers;

  /** One Kryo with its output and input: used by one thread at a time. */
  private static final class Worker {
    final PolicyKryo kryo;
    BoundedOutput output = new BoundedOutput(4096);
    final BoundedInput input;

    Worker(DeserializationPolicy policy, ClassLoader loader) {
      kryo = new PolicyKryo(policy, loader);
      input = new BoundedInput(policy);
    }
  }

  KryoMessageSerializer(
      ClassLoader loader, DeserializationPolicy policy, JavaMessageSerializer java) {
    this.java = java;
    this.workers =
        new Pool<>(true, false, 64) {
          @Override
          protected Worker create() {
            return new Worker(policy, loader);
          }
        };
  }

  @Override
  public void write(Object value, ByteBuf out) throws IOException {
    if (java.writeFast(value, out)) {
      return;
    }
    Worker w = workers.obtain();
    try {
      w.output.setPosition(0);
      w.kryo.writeClassAndObject(w.output, value);
      out.writeByte(JavaMessageSerializer.KRYO)
          .writeBytes(w.output.getBuffer(), 0, w.output.position());
      return;
    } catch (KryoException e) {
      PolicyKryo.Refused refused = refusal(e);
      if (refused == null) {
        LOG.debug("Kryo could not write {}; it goes by Java serialization", value.getClass(), e);
      } else {
        LOG.debug("{}", refused.getMessage());
      }
    } finally {
      w.kryo.reset();
      if (w.output.getBuffer().length > KEPT_OUTPUT) {
        w.output = new BoundedOutput(4096);
      }
      workers.free(w);
    }
    java.writeJava(value, out);
  }

  private static PolicyKryo.Refused refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PolicyKryo.Refused r) {
        return r;
      }
    }
    return null;
  }

  @Override
  public Object read(ByteBuf in, RefResolver refs) throws IOException, ClassNotFoundException {
    if (!in.isReadable() || in.getByte(in.readerIndex()) != JavaMessageSerializer.KRYO) {
      return java.read(in, refs);
    }
    in.skipBytes(1);
    int n = in.readableBytes();
    if (in.hasArray()) {
      return readKryo(in.array(), in.arrayOffset() + in.readerIndex(), n);
    }
    byte[] copy = new byte[n];
    in.getBytes(in.readerIndex(), copy);
    return readKryo(copy, 0, n);
  }

  @Override
  public Object read(byte tag, byte[] rest, RefResolver refs)
      throws IOException, ClassNotFoundException {
    return tag == JavaMessageSerializer.KRYO
        ? readKryo(rest, 0, rest.length)
        : java.read(tag, rest, refs);
  }

  private Object readKryo(byte[] bytes, int offset, int length) throws IOException {
    Worker w = workers.obtain();
    try {
      w.input.setBuffer(bytes, offset, length);
      return w.kryo.readClassAndObject(w.input);
    } catch (KryoException e) {
      throw readFailure(e);
    } catch (RuntimeException e) {
      throw corrupt("not a valid Kryo body: " + e, e);
    } finally {
      w.kryo.reset();
      w.input.setBuffer(new byte[0]); // keep no reference to the message
      workers.free(w);
    }
  }

  /** The policy's own refusal if one caused {@code e}, else the stream is corrupt. */
  private static IOException readFailure(KryoException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
      if (t instanceof PolicyKryo.Refused r) {
        java.io.InvalidClassException ice =
            new java.io.InvalidClassException(r.className, r.getMessage());
        ice.initCause(e);
        return ice;
      }
    }
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("Max depth exceeded")) {
      return new StreamCorruptedException(
          "the object graph is deeper than spark.rpc.serializer.maxDepth: " + m);
    }
    if (m.startsWith("Buffer underflow")) {
      return corrupt("the message body ends early", e);
    }
    return corrupt("not a valid Kryo body: " + m, e);
  }

  private static StreamCorruptedException corrupt(String what, Throwable cause) {
    StreamCorruptedException c = new StreamCorruptedException(what);
    c.initCause(cause);
    return c;
  }
}
