package io.rpcenv.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between a test's peers that forwards both directions and can break them
 * on purpose: drop bytes silently (one direction, or both for a silent partition), delay them,
 * close a connection after a given number of bytes (mid-frame), reset every connection, or refuse
 * new ones. It can also record every byte, so a test can check what crossed the wire. Faults apply
 * to the connections open when they are set; {@link #blackhole()}, {@link #drop}, {@link #delay}
 * and {@link #refuseNew} also apply to later ones, until {@link #pass()}.
 */
// try: close() joins the pump threads, and may be interrupted; EnumOrdinal: per-direction arrays
@SuppressWarnings({"try", "EnumOrdinal"})
public final class TcpProxy implements AutoCloseable {
  /** Which way bytes flow: from the connecting side to the target, or back. */
  public enum Direction {
    TO_TARGET,
    FROM_TARGET
  }

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final boolean recording;
  private final ByteArrayOutputStream[] recorded = {
    new ByteArrayOutputStream(), new ByteArrayOutputStream()
  };
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Long> acceptNanos = new CopyOnWriteArrayList<>();
  private final boolean[] dropping = new boolean[2];
  private final boolean[] stalled = new boolean[2];
  private final long[] delayMillis = new long[2];
  private final AtomicLong forwarded = new AtomicLong();
  private volatile boolean refusing;
  private volatile boolean closed;

  private TcpProxy(String targetHost, int targetPort, boolean recording) throws IOException {
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.recording = recording;
    Thread acceptor = new Thread(this::accept, "tcp-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    threads.add(acceptor);
    acceptor.start();
  }

  /** Starts a recording proxy to {@code targetHost:targetPort}. */
  public static TcpProxy start(String targetHost, int targetPort) throws IOException {
    return new TcpProxy(targetHost, targetPort, true);
  }

  /** Starts a proxy that records nothing, for long or heavy tests. */
  public static TcpProxy startWithoutRecording(String targetHost, int targetPort)
      throws IOException {
    return new TcpProxy(targetHost, targetPort, false);
  }

  /** The port to connect to instead of the target's. */
  public int port() {
    return server.getLocalPort();
  }

  /** Every byte that has flowed in {@code direction} so far (empty unless recording). */
  public byte[] recorded(Direction direction) {
    ByteArrayOutputStream b = recorded[direction.ordinal()];
    synchronized (b) {
      return b.toByteArray();
    }
  }

  /** Forward everything again, without delay, and accept new connections. */
  public synchronized void pass() {
    dropping[0] = dropping[1] = false;
    delayMillis[0] = delayMillis[1] = 0;
    refusing = false;
    stalled[0] = stalled[1] = false;
    notifyAll();
  }

  /**
   * Stop reading what flows in {@code direction}, so the sender's socket buffers fill and its
   * writes back up, as behind a peer that stopped reading; {@link #pass()} reads again.
   */
  public synchronized void stall(Direction direction) {
    stalled[direction.ordinal()] = true;
  }

  /** Waits while {@code direction} is stalled; false once the proxy is closed. */
  private synchronized boolean awaitNotStalled(int direction) throws InterruptedException {
    while (stalled[direction] && !closed) {
      wait();
    }
    return !closed;
  }

  /** Silently discard what flows in {@code direction}; the connections stay open. */
  public synchronized void drop(Direction direction) {
    dropping[direction.ordinal()] = true;
  }

  /** A silent partition: both directions discarded, nothing closed, nothing reset. */
  public synchronized void blackhole() {
    dropping[0] = dropping[1] = true;
  }

  /** Hold every chunk flowing in {@code direction} for {@code delay} before forwarding it. */
  public synchronized void delay(Direction direction, Duration delay) {
    delayMillis[direction.ordinal()] = delay.toMillis();
  }

  /**
   * Each open connection forwards {@code bytes} more in {@code direction}, then both its sides
   * close.
   */
  public void closeAfter(Direction direction, long bytes) {
    for (Link l : links) {
      l.budget[direction.ordinal()].set(bytes);
    }
  }

  /** Resets (RST) both sides of every open connection. */
  public void resetAll() {
    for (Link l : links) {
      l.reset();
    }
  }

  /** While on, new connections are accepted and reset at once, as by a peer that is down. */
  public void refuseNew(boolean on) {
    refusing = on;
  }

  /** When each connection was accepted ({@link System#nanoTime()}), refused ones included. */
  public List<Long> acceptTimes() {
    return new ArrayList<>(acceptNanos);
  }

  /** Connections open now. */
  public int openConnections() {
    return links.size();
  }

  /** Bytes forwarded so far, both directions. */
  public long forwardedBytes() {
    return forwarded.get();
  }

  private synchronized boolean dropping(int direction) {
    return dropping[direction];
  }

  private synchronized long delayMillis(int direction) {
    return delayMillis[direction];
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      acceptNanos.add(System.nanoTime());
      if (refusing) {
        resetQuietly(client);
        continue;
      }
      try {
        Link link = new Link(client, new Socket(targetHost, targetPort));
        links.add(link);
        link.start();
      } catch (IOException targetDown) {
        resetQuietly(client);
      }
    }
  }

  /** One proxied connection: the client's socket, the target's, and a pump each way. */
  private final class Link {
    final Socket client;
    final Socket target;
    final AtomicLong[] budget = {new AtomicLong(Long.MAX_VALUE), new AtomicLong(Long.MAX_VALUE)};

    /** Directions that have reached their end of stream; at two the connection is over. */
    final AtomicInteger ended = new AtomicInteger();

    Link(Socket client, Socket target) {
      this.client = client;
      this.target = target;
    }

    void start() {
      pump(client, target, Direction.TO_TARGET);
      pump(target, client, Direction.FROM_TARGET);
    }

    private void pump(Socket from, Socket to, Direction direction) {
      int d = direction.ordinal();
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream()) {
                  OutputStream out = to.getOutputStream();
                  int n;
                  while (awaitNotStalled(d) && (n = in.read(buf)) >= 0) {
                    if (dropping(d)) {
                      continue;
                    }
                    long wait = delayMillis(d);
                    if (wait > 0) {
                      Thread.sleep(wait); // the injected delay itself
                    }
                    long left = budget[d].get();
                    int now = (int) Math.min(n, left);
                    if (recording) {
                      synchronized (recorded[d]) {
                        recorded[d].write(buf, 0, now);
                      }
                    }
                    out.write(buf, 0, now);
                    out.flush();
                    forwarded.addAndGet(now);
                    if (left != Long.MAX_VALUE && budget[d].addAndGet(-now) <= 0) {
                      close();
                      return;
                    }
                  }
                  to.shutdownOutput();
                  if (ended.incrementAndGet() == 2) {
                    close();
                  }
                } catch (IOException | InterruptedException e) {
                  close();
                }
              },
              "tcp-proxy-" + direction + "-" + server.getLocalPort());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    void reset() {
      resetQuietly(client);
      resetQuietly(target);
      links.remove(this);
    }

    void close() {
      closeQuietly(client);
      closeQuietly(target);
      links.remove(this);
    }
  }

  private static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0); // close with RST
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws Exception {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    server.close();
    for (Link l : links) {
      l.close();
    }
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
