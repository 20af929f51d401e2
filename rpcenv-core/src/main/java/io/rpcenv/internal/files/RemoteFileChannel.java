package io.rpcenv.internal.files;

import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcFileChannel;
import io.rpcenv.RpcRemoteException;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.transport.FileSlice;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A file another env serves, read as it arrives: {@link #AHEAD} chunks of {@link #CHUNK} bytes are
 * asked for ahead of the reader and no more, so memory is bounded and a slow reader slows the
 * server. Every byte goes into a SHA-256 that is checked against the server's before end of stream
 * is reported. Any failure is sticky: later reads fail the same way. Not thread-safe, like most
 * channels' readers.
 */
final class RemoteFileChannel implements RpcFileChannel {
  static final int CHUNK = 1 << 20;
  static final int AHEAD = 4;

  private final RpcEndpointRef server;
  private final String uri;
  private final String path;
  private final long length;
  private final String sha256;
  private final RpcTimeout timeout;
  private final MessageDigest digest = ServedFile.newDigest(); // the digester's alone until done
  private final Executor digester;

  /** The digest's updates not yet waited for, oldest first; each runs after the one before. */
  private final ArrayDeque<CompletableFuture<Void>> digesting = new ArrayDeque<>();

  private final ArrayDeque<CompletableFuture<Object>> ahead = new ArrayDeque<>();
  private long requested;
  private long delivered;
  private ByteBuffer current = ByteBuffer.allocate(0);
  private IOException failed;
  private boolean verified;
  private boolean open = true;

  RemoteFileChannel(
      RpcEndpointRef server,
      String uri,
      String path,
      FileMessages.Opened opened,
      RpcTimeout timeout,
      Executor digester) {
    this.digester = digester;
    this.server = server;
    this.uri = uri;
    this.path = path;
    this.length = opened.length();
    this.sha256 = opened.sha256();
    this.timeout = timeout;
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
          verify();
          return -1;
        }
        askAhead();
        current = ByteBuffer.wrap(next());
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
      int n = (int) Math.min(CHUNK, length - requested);
      ahead.add(server.ask(new FileMessages.Read(path, requested, n), timeout));
      requested += n;
    }
  }

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
    long expected = Math.min(CHUNK, length - delivered);
    if (bytes.length != expected) {
      throw new IOException(
          "Reading "
              + uri
              + " from "
              + server.address()
              + ": a chunk of "
              + bytes.length
              + " bytes came where "
              + expected
              + " were due, at byte "
              + delivered);
    }
    // Hashed on the digester while this thread hands the bytes over and the next chunk arrives;
    // in order, and never more than AHEAD chunks behind.
    CompletableFuture<Void> last = digesting.peekLast();
    digesting.add(
        last == null
            ? CompletableFuture.runAsync(() -> digest.update(bytes), digester)
            : last.thenRunAsync(() -> digest.update(bytes), digester));
    if (digesting.size() > AHEAD) {
      await(digesting.poll());
    }
    delivered += bytes.length;
    return bytes;
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

  private void verify() throws IOException {
    if (verified) {
      return;
    }
    CompletableFuture<Void> last = digesting.peekLast();
    if (last != null) {
      await(last); // and with it every update before
    }
    digesting.clear();
    String got = HexFormat.of().formatHex(digest.digest());
    if (!got.equals(sha256)) {
      throw new IOException(
          "Reading "
              + uri
              + " from "
              + server.address()
              + ": its "
              + length
              + " bytes have SHA-256 "
              + got
              + ", not the server's "
              + sha256
              + "; the file changed while it was read or the transfer is corrupt");
    }
    verified = true;
  }

  private void await(CompletableFuture<Void> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while checking " + uri);
    } catch (ExecutionException e) {
      throw new IOException("Could not take the digest of " + uri + ": " + e.getCause(), e);
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    ahead.clear(); // their answers are dropped as they come
    current = ByteBuffer.allocate(0);
  }
}
