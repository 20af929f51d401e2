package io.rpcenv.internal.files;

import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcFileChannel;
import io.rpcenv.RpcRemoteException;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.transport.FileSlice;
import io.rpcenv.internal.transport.SpareArrays;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32C;

/**
 * A file another env serves, read as it arrives: {@link #AHEAD} blocks are asked for ahead of the
 * reader and no more, so memory is bounded and a slow reader slows the server. Each block is
 * checked, as it is handed over, against the CRC32C the server took of it when the file was added
 * (with the file's SHA-256, in the same read): a block that is short, long or other bytes fails the
 * read, so end of stream means every byte is the one added. Any failure is sticky: later reads fail
 * the same way. Not thread-safe, like most channels' readers.
 */
final class RemoteFileChannel implements RpcFileChannel {
  static final int AHEAD = 32;

  private final RpcEndpointRef server;
  private final String uri;
  private final String path;
  private final long length;
  private final String sha256;
  private final int blockSize;
  private final int[] blockCrcs;
  private final RpcTimeout timeout;
  private final CRC32C crc = new CRC32C();
  private final SpareArrays spares;
  private final Runnable onClose;

  private final ArrayDeque<CompletableFuture<Object>> ahead = new ArrayDeque<>();
  private long requested;
  private long delivered;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private ByteBuffer current = EMPTY;
  private byte[] block; // what current wraps, if anything
  private IOException failed;
  private boolean open = true;

  RemoteFileChannel(
      RpcEndpointRef server,
      String uri,
      String path,
      FileMessages.Opened opened,
      RpcTimeout timeout,
      SpareArrays spares,
      Runnable onClose)
      throws IOException {
    this.spares = spares;
    this.onClose = onClose;
    this.server = server;
    this.uri = uri;
    this.path = path;
    this.length = opened.length();
    this.sha256 = opened.sha256();
    this.blockSize = opened.blockSize();
    this.blockCrcs = opened.blockCrcs();
    this.timeout = timeout;
    checkOpened();
  }

  /** What the server said of the file must describe one: it decides the reads that follow. */
  private void checkOpened() throws IOException {
    String wrong = null;
    if (length < 0) {
      wrong = "a negative length " + length;
    } else if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      wrong = "a SHA-256 that is not 64 hex digits";
    } else if (blockSize <= 0 || blockSize > FileServerEndpoint.MAX_CHUNK) {
      wrong = "blocks of " + blockSize + " bytes";
    } else if (blockCrcs == null || blockCrcs.length != (length + blockSize - 1) / blockSize) {
      wrong =
          (blockCrcs == null ? "no" : String.valueOf(blockCrcs.length))
              + " block checksums for "
              + length
              + " bytes in blocks of "
              + blockSize;
    }
    if (wrong != null) {
      throw new IOException(
          "Cannot read " + uri + ": " + server.address() + " describes it with " + wrong);
    }
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public String sha256() {
    return sha256;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (failed != null) {
      throw failed;
    }
    try {
      while (!current.hasRemaining()) {
        if (delivered == length) {
          return -1;
        }
        askAhead();
        if (block != null) {
          current = EMPTY; // the last reference to the block read: it may be written over now
          spares.give(block);
          block = null;
        }
        block = next();
        current = ByteBuffer.wrap(block);
      }
    } catch (IOException e) {
      failed = e;
      throw e;
    }
    int n = Math.min(dst.remaining(), current.remaining());
    int limit = current.limit();
    current.limit(current.position() + n);
    dst.put(current);
    current.limit(limit);
    return n;
  }

  private void askAhead() {
    while (ahead.size() < AHEAD && requested < length) {
      int n = (int) Math.min(blockSize, length - requested);
      ahead.add(server.ask(new FileMessages.Read(path, requested, n), timeout));
      requested += n;
    }
  }

  /** The next block, checked. */
  private byte[] next() throws IOException {
    byte[] bytes;
    try {
      Object reply = ahead.poll().get();
      // From an env's own file server the reply is not sent anywhere: the slice itself arrives.
      bytes = reply instanceof FileSlice slice ? slice.read() : (byte[]) reply;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while reading " + uri);
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
    long expected = Math.min(blockSize, length - delivered);
    if (bytes.length != expected) {
      throw corrupt("a block of " + bytes.length + " bytes came where " + expected + " were due");
    }
    crc.reset();
    crc.update(bytes, 0, bytes.length);
    int index = (int) (delivered / blockSize);
    if ((int) crc.getValue() != blockCrcs[index]) {
      throw corrupt(
          "block "
              + index
              + " has CRC32C "
              + Integer.toHexString((int) crc.getValue())
              + ", not the "
              + Integer.toHexString(blockCrcs[index])
              + " taken when the file was added; the file changed on the server while it was"
              + " served, or the transfer is corrupt");
    }
    delivered += bytes.length;
    return bytes;
  }

  private IOException corrupt(String what) {
    return new IOException(
        "Reading " + uri + " from " + server.address() + ": " + what + ", at byte " + delivered);
  }

  private IOException failure(Throwable cause) {
    String why =
        cause instanceof RpcRemoteException r && r.remoteMessage() != null
            ? r.remoteMessage()
            : String.valueOf(cause.getMessage());
    return new IOException(
        "Reading "
            + uri
            + " from "
            + server.address()
            + " failed at byte "
            + delivered
            + " of "
            + length
            + ": "
            + why,
        cause);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    onClose.run();
    ahead.clear(); // their answers are dropped as they come
    current = EMPTY;
    block = null;
  }
}
