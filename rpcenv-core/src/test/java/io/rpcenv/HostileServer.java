package io.rpcenv;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A hand-written server of the wire protocol that answers a client-mode env's handshake and its
 * lookup honestly, then answers its first real ask with whatever frame the test crafts.
 */
final class HostileServer implements AutoCloseable {
  private final ServerSocket listener;
  private final Thread thread;
  private volatile Socket socket;

  /**
   * @param answer the payload, after the type byte, of the frame {@code type} sent for the ask; its
   *     first 8 bytes are replaced by the ask's id
   */
  HostileServer(byte type, byte[] answer) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> serve(type, answer), "hostile-server");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void serve(byte type, byte[] answer) {
    try {
      Socket s = listener.accept();
      socket = s;
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      RawConnection.acceptHandshake(in, out);
      long lookup = readRequestId(in);
      out.writeInt(1 + 8 + 1);
      out.writeByte(RawConnection.RESPONSE);
      out.writeLong(lookup);
      out.writeByte(6); // Boolean.TRUE: the endpoint exists
      out.flush();
      long ask = readRequestId(in);
      byte[] frame = answer.clone();
      java.nio.ByteBuffer.wrap(frame).putLong(ask);
      out.writeInt(1 + frame.length);
      out.writeByte(type);
      out.write(frame);
      out.flush();
      while (in.read() >= 0) {
        // hold the connection until the client leaves
      }
    } catch (IOException e) {
      // the client left
    }
  }

  private static long readRequestId(DataInputStream in) throws IOException {
    for (; ; ) {
      int length = in.readInt();
      byte type = in.readByte();
      byte[] payload = new byte[length - 1];
      in.readFully(payload);
      if (type == RawConnection.REQUEST) {
        return java.nio.ByteBuffer.wrap(payload).getLong();
      }
    }
  }

  @Override
  public void close() throws Exception {
    listener.close();
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    thread.join(10_000);
  }
}
