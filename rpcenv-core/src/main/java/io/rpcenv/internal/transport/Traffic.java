package io.rpcenv.internal.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one connection has read and written, in frames and bytes. Each direction has one writer, the
 * connection's event loop, so counting is a plain add published with an opaque store (a plain store
 * on common hardware): no atomic operation per frame. Readers (the metrics) see values at most a
 * moment old.
 */
final class Traffic {
  private static final VarHandle FRAMES_IN;
  private static final VarHandle BYTES_IN;
  private static final VarHandle FRAMES_OUT;
  private static final VarHandle BYTES_OUT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      FRAMES_IN = l.findVarHandle(Traffic.class, "framesIn", long.class);
      BYTES_IN = l.findVarHandle(Traffic.class, "bytesIn", long.class);
      FRAMES_OUT = l.findVarHandle(Traffic.class, "framesOut", long.class);
      BYTES_OUT = l.findVarHandle(Traffic.class, "bytesOut", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long framesIn;
  private long bytesIn;
  private long framesOut;
  private long bytesOut;

  /** A frame of {@code bytes} (its length field included) was read. Event loop. */
  void read(long bytes) {
    FRAMES_IN.setOpaque(this, framesIn + 1);
    BYTES_IN.setOpaque(this, bytesIn + bytes);
  }

  /** A frame of {@code bytes} was handed to the channel to write. Event loop. */
  void wrote(long bytes) {
    FRAMES_OUT.setOpaque(this, framesOut + 1);
    BYTES_OUT.setOpaque(this, bytesOut + bytes);
  }

  long framesIn() {
    return (long) FRAMES_IN.getOpaque(this);
  }

  long bytesIn() {
    return (long) BYTES_IN.getOpaque(this);
  }

  long framesOut() {
    return (long) FRAMES_OUT.getOpaque(this);
  }

  long bytesOut() {
    return (long) BYTES_OUT.getOpaque(this);
  }
}
