package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * A large frame (see {@link Protocol#LARGE_FRAME}) being copied into an array while its bytes
 * arrive. The array grows with what has arrived, to at most eight times that and never beyond the
 * frame, so a header that declares a large frame commits almost nothing until the bytes follow. For
 * a request, one-way message or reply, the head (type byte through the body's serializer tag) is
 * kept apart, and the body after its tag ends up in an array of its exact size, which a large
 * {@code byte[]} message is handed over as.
 */
final class ArrivingFrame {
  /** The first array's least size: small frames of this class still cost a few copies at most. */
  private static final int FIRST_CHUNK = 64 * 1024;

  /** Memory committed for a frame is at most this many times what has arrived of it. */
  static final int COMMIT_RATIO = 8;

  private final byte[] head;
  private final int length;
  private final int declaredLength;
  private byte[] bytes;
  private int filled;

  /**
   * @param head the frame from its type byte through its body's tag, or null for a frame kept whole
   *     (then {@code length} counts from the type byte)
   * @param length the bytes to assemble after {@code head}
   * @param declaredLength the frame's length as its header gave it, for error texts
   */
  ArrivingFrame(byte[] head, int length, int declaredLength) {
    this.head = head;
    this.length = length;
    this.declaredLength = declaredLength;
    this.bytes = new byte[0];
  }

  /**
   * The size the array should have for {@code available} more bytes: its size now if they fit; the
   * frame's exact size once that is at most {@value #COMMIT_RATIO} times what will then have
   * arrived, or at once for a frame of the spare arrays' size; else four times its size now (growth
   * copies what arrived, so few steps keep the copying to a sixth of the frame or so). Either way
   * at most {@value #COMMIT_RATIO} times what arrived, the first array, or one spare array's size.
   */
  int wantedCapacity(int available, SpareArrays spares) {
    int needed = filled + Math.min(available, length - filled);
    if (needed <= bytes.length) {
      return bytes.length;
    }
    if ((long) COMMIT_RATIO * needed >= length || length == spares.size()) {
      // A frame of the spare arrays' size is committed at once: it is small (a file block),
      // and one spare array saves the growth copies.
      return length;
    }
    return (int) Math.min(length, Math.max(needed, Math.max(FIRST_CHUNK, 4L * bytes.length)));
  }

  /**
   * Grows the array to {@code capacity} (from {@link #wantedCapacity}), keeping what it holds. The
   * first array of a frame's whole size may be a spare one: every byte of it is written before the
   * frame is handed on.
   */
  void growTo(int capacity, SpareArrays spares) {
    bytes =
        filled == 0 && capacity == length ? spares.take(capacity) : Arrays.copyOf(bytes, capacity);
  }

  /** Copies what has arrived of the frame out of {@code in}, as far as the array has room. */
  void fill(ByteBuf in) {
    int n = Math.min(in.readableBytes(), bytes.length - filled);
    in.readBytes(bytes, filled, n);
    filled += n;
  }

  boolean isComplete() {
    return filled == length;
  }

  /** Bytes of memory this frame holds now. */
  long capacity() {
    return (long) bytes.length + (head == null ? 0 : head.length);
  }

  /** The array's size now. */
  int arrayCapacity() {
    return bytes.length;
  }

  /** The frame's length, as its header declared it. */
  long length() {
    return declaredLength;
  }

  /** How much of the frame has arrived, and how much its header declared. */
  String progress() {
    long arrived = (long) filled + (head == null ? 0 : head.length);
    return arrived + " of its " + declaredLength + " bytes";
  }

  /**
   * The whole frame: a {@link LargeFrame} when a head was kept apart, else a buffer from its type
   * byte on.
   */
  Object frame() {
    return head != null
        ? new LargeFrame(Unpooled.wrappedBuffer(head), bytes)
        : Unpooled.wrappedBuffer(bytes);
  }
}
