package io.rpcenv;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Speaks just enough of the wire protocol by hand to misbehave on purpose. */
final class RawPeer {
  private RawPeer() {}

  /** Writes the preface and a HELLO frame (client mode when {@code clientMode}). */
  static void handshake(DataOutputStream out, boolean clientMode) throws IOException {
    out.writeInt(0x52504345); // "RPCE"
    out.writeByte(1);
    out.writeInt(1 + 1 + 8);
    out.writeByte(1); // HELLO
    out.writeByte(clientMode ? 1 : 0);
    out.writeLong(12345L);
    out.flush();
  }

  /** Reads until the peer closes, within {@code timeout}; true if it did. */
  static boolean readsEof(Socket s, Duration timeout) throws IOException {
    s.setSoTimeout((int) timeout.toMillis());
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // discard what the peer says before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true; // a reset is a close too
    }
  }
}
