package io.rpcenv;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A hand-written client of the wire protocol, to misbehave on purpose: skip or fake the handshake,
 * send crafted frames, replay recorded bytes. Keeps a copy of everything it wrote.
 */
final class RawConnection implements AutoCloseable {
  static final int MAGIC = 0x52504345;
  static final byte VERSION = io.rpcenv.internal.transport.Protocol.VERSION;
  static final byte HELLO = 1;
  static final byte REQUEST = 2;
  static final byte ONE_WAY = 3;
  static final byte RESPONSE = 4;
  static final byte FAILURE = 5;
  static final byte CLOSE = 6;
  static final byte AUTH = 7;

  final Socket socket;
  final DataOutputStream out;
  final DataInputStream in;
  final ByteArrayOutputStream written = new ByteArrayOutputStream();

  RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    out =
        new DataOutputStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) throws IOException {
                written.write(b);
                socket.getOutputStream().write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                written.write(b, off, len);
                socket.getOutputStream().write(b, off, len);
              }
            });
    in = new DataInputStream(socket.getInputStream());
  }

  /** Preface and a HELLO from a client-mode env; with {@code nonce} it announces authentication. */
  byte[] hello(byte[] nonce) throws IOException {
    return sendHello(helloPayload(12345L, null, 0, nonce));
  }

  /**
   * Preface and a HELLO from a server-mode env claiming to listen at {@code host:port}, without
   * authentication.
   */
  byte[] helloClaiming(String host, int port) throws IOException {
    return sendHello(helloPayload(67890L, host, port, null));
  }

  private byte[] sendHello(byte[] payload) throws IOException {
    out.writeInt(MAGIC);
    out.writeByte(VERSION);
    frame(HELLO, payload);
    return payload;
  }

  /** The per-endpoint window a raw peer announces: more than any test sends. */
  static final int WINDOW = 1 << 20;

  static final long WINDOW_BYTES = 1L << 40;

  /**
   * A HELLO payload: client mode when {@code host} is null; announcing authentication with {@code
   * nonce}.
   */
  static byte[] helloPayload(long envId, String host, int port, byte[] nonce) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    DataOutputStream p = new DataOutputStream(payload);
    p.writeByte((host == null ? 1 : 0) | (nonce != null ? 2 : 0));
    p.writeLong(envId);
    p.writeInt(WINDOW);
    p.writeLong(WINDOW_BYTES);
    if (host != null) {
      byte[] h = host.getBytes(StandardCharsets.UTF_8);
      p.writeShort(h.length);
      p.write(h);
      p.writeInt(port);
    }
    if (nonce != null) {
      p.write(nonce);
    }
    return payload.toByteArray();
  }

  /**
   * The accepting side of a plain handshake, on a socket a test accepted itself: reads the client's
   * preface and HELLO, answers like a client-mode env would.
   */
  static void acceptHandshake(DataInputStream in, DataOutputStream out) throws IOException {
    in.readInt();
    in.readByte();
    in.readFully(new byte[in.readInt()]); // the client's HELLO
    out.writeInt(MAGIC);
    out.writeByte(VERSION);
    byte[] hello = helloPayload(7L, null, 0, null);
    out.writeInt(1 + hello.length);
    out.writeByte(HELLO);
    out.write(hello);
    out.flush();
  }

  /**
   * Reads frames until the peer's CLOSE and returns the reason it gives; throws if the peer closes
   * without one.
   */
  String closeReason() throws IOException {
    for (; ; ) {
      Frame f = readFrame();
      if (f.type == CLOSE) {
        DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(f.payload));
        d.readByte();
        byte[] text = new byte[d.readUnsignedShort()];
        d.readFully(text);
        return new String(text, StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * The whole authenticated handshake, as an honest client with {@code key} would do it: HELLO, the
   * server's HELLO, this side's proof, then the server's proof, which is checked.
   */
  void authenticate(byte[] key) throws Exception {
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    byte[] clientHello = hello(nonce);
    readPreface();
    Frame serverHello = readFrame();
    if (serverHello.type != HELLO) {
      throw new IOException("expected HELLO, got " + serverHello.type + ": " + serverHello.text());
    }
    frame(AUTH, proof(key, "rpcenv-v2 client", clientHello, serverHello.payload));
    Frame serverProof = readFrame();
    if (serverProof.type != AUTH
        || !Arrays.equals(
            serverProof.payload,
            proof(key, "rpcenv-v2 server", clientHello, serverHello.payload))) {
      throw new IOException(
          "the server did not prove it holds the secret: frame " + serverProof.type);
    }
  }

  static byte[] proof(byte[] key, String label, byte[] clientHello, byte[] serverHello)
      throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update(label.getBytes(StandardCharsets.US_ASCII));
    mac.update(clientHello);
    mac.update(serverHello);
    return mac.doFinal();
  }

  /** The handshake of a client that does not authenticate. */
  void plainHandshake() throws IOException {
    hello(null);
    readPreface();
    Frame f = readFrame();
    if (f.type != HELLO) {
      throw new IOException("expected HELLO, got " + f.type + ": " + f.text());
    }
  }

  void readPreface() throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("bad preface");
    }
    in.readByte();
  }

  void frame(byte type, byte[] payload) throws IOException {
    out.writeInt(1 + payload.length);
    out.writeByte(type);
    out.write(payload);
    out.flush();
  }

  /** A REQUEST frame: request id, endpoint, and a Java-serialized {@code message} as body. */
  void request(long id, String endpoint, Object message) throws IOException {
    frame(REQUEST, requestPayload(id, endpoint, javaBody(message)));
  }

  static byte[] requestPayload(long id, String endpoint, byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeLong(id);
    d.writeShort(endpoint.length());
    d.write(endpoint.getBytes(StandardCharsets.UTF_8));
    d.write(body);
    return b.toByteArray();
  }

  /** A ONE_WAY frame with a Java-serialized body. */
  void oneWay(String endpoint, Object message) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeShort(endpoint.length());
    d.write(endpoint.getBytes(StandardCharsets.UTF_8));
    d.write(javaBody(message));
    frame(ONE_WAY, b.toByteArray());
  }

  /** The serializer tag for Java serialization, then the object stream. */
  static byte[] javaBody(Object message) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(1);
    try (ObjectOutputStream oos = new ObjectOutputStream(b)) {
      oos.writeObject(message);
    }
    return b.toByteArray();
  }

  record Frame(byte type, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  Frame readFrame() throws IOException {
    int len = in.readInt();
    byte type = in.readByte();
    byte[] payload = new byte[len - 1];
    in.readFully(payload);
    return new Frame(type, payload);
  }

  /** Reads until the peer closes, within {@code timeout}; true if it did. */
  boolean readsEof(Duration timeout) throws IOException {
    return readsEof(socket, timeout);
  }

  static boolean readsEof(Socket s, Duration timeout) throws IOException {
    s.setSoTimeout((int) timeout.toMillis());
    InputStream input = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (input.read(buf) >= 0) {
        // discard what the peer says before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true; // a reset is a close too
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
