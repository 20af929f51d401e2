package io.rpcenv.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 between a test's peers: it forwards both directions and records every
 * byte, so a test can check what actually crossed the wire.
 */
public final class TcpProxy implements AutoCloseable {
  /** Which way bytes flow: from the connecting side to the target, or back. */
  public enum Direction { TO_TARGET, FROM_TARGET }

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final ByteArrayOutputStream toTarget = new ByteArrayOutputStream();
  private final ByteArrayOutputStream fromTarget = new ByteArrayOutputStream();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private TcpProxy(String targetHost, int targetPort) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    Thread acceptor = new Thread(this::accept, "tcp-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    threads.add(acceptor);
    acceptor.start();
  }

  /** Starts a proxy to {@code targetHost:targetPort}. */
  public static TcpProxy start(String targetHost, int targetPort) throws IOException {
    return new TcpProxy(targetHost, targetPort);
  }

  /** The port to connect to instead of the target's. */
  public int port() {
    return server.getLocalPort();
  }

  /** Every byte that has flowed in {@code direction} so far. */
  public byte[] recorded(Direction direction) {
    ByteArrayOutputStream b = direction == Direction.TO_TARGET ? toTarget : fromTarget;
    synchronized (b) {
      return b.toByteArray();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(target);
        pump(client, target, toTarget, "to-target");
        pump(target, client, fromTarget, "from-target");
      } catch (IOException e) {
        if (!closed) {
          System.err.println("tcp proxy: " + e);
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, ByteArrayOutputStream record, String name) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (record) {
            record.write(buf, 0, n);
          }
          out.write(buf, 0, n);
          out.flush();
        }
        to.shutdownOutput();
      } catch (SocketException e) {
        closeQuietly(to);
      } catch (IOException e) {
        closeQuietly(to);
      }
    }, "tcp-proxy-" + name + "-" + server.getLocalPort());
    t.setDaemon(true);
    threads.add(t);
    t.start();
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
    closed = true;
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
