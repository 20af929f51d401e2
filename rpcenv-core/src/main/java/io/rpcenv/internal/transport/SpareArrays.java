package io.rpcenv.internal.transport;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Arrays of one size that their last user has finished with, lent to the next large frame whose
 * body has exactly that size. A file reader receives a stream of same-sized blocks and copies each
 * out once: giving the array back saves allocating and zeroing one per block (on a 2-core machine a
 * fresh 256 KiB array per block costs several times the copy into it). Bounded: at most {@code
 * capacity} arrays are kept, the rest are left to the collector.
 *
 * <p>Only code that holds the last reference to an array may give it back: it is written over by
 * the next frame that takes it. A frame fills every byte of its array before anyone sees it.
 */
public final class SpareArrays {
  private final int size;
  private final ArrayBlockingQueue<byte[]> spare;

  /**
   * @param size the one array size kept
   * @param capacity how many arrays are kept at most
   */
  public SpareArrays(int size, int capacity) {
    this.size = size;
    this.spare = new ArrayBlockingQueue<>(capacity);
  }

  /** The size of the arrays kept. */
  public int size() {
    return size;
  }

  /** An array of {@code length} bytes with any content: a spare one if it has the kept size. */
  byte[] take(int length) {
    if (length == size) {
      byte[] b = spare.poll();
      if (b != null) {
        return b;
      }
    }
    return new byte[length];
  }

  /** Lets the collector have the arrays kept: nobody reads blocks now. */
  public void clear() {
    spare.clear();
  }

  /** Gives {@code array} back, its giver keeping no reference to it; other sizes are ignored. */
  public void give(byte[] array) {
    if (array.length == size) {
      spare.offer(array);
    }
  }
}
