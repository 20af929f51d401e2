package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcAuthenticationException;
import io.rpcenv.RpcConnectionException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake of one connection (see {@link Protocol}): HELLO both ways and, when this env
 * authenticates, HMAC-SHA256 proofs over both HELLOs, whose fresh nonces make a recorded handshake
 * useless. The connecting side proves first; the accepting side proves only to a peer that has
 * proven itself, so a stranger who connects learns nothing derived from the secret. The secret
 * itself never crosses the wire. There is no fallback: an env that authenticates refuses a peer
 * that does not, in either direction.
 */
final class Handshake {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] SERVER_LABEL = "rpcenv-v2 server".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLIENT_LABEL = "rpcenv-v2 client".getBytes(StandardCharsets.US_ASCII);

  private final Transport transport;
  private final Connection connection;
  private final byte[] key;
  private byte[] clientHello;
  private byte[] serverHello;

  /**
   * The peer's HELLO, once read, while its (or, connecting, the accepting side's) proof is awaited.
   */
  private Hello peerAwaitingProof;

  private boolean answered;

  /**
   * @param key the authentication key, or null when this env does not authenticate
   */
  Handshake(Transport transport, Connection connection, byte[] key) {
    this.transport = transport;
    this.connection = connection;
    this.key = key;
  }

  /** Whether the accepting side has sent its preface (so a CLOSE needs none in front). */
  boolean answered() {
    return answered;
  }

  /** The connecting side's first bytes: preface and HELLO. */
  ByteBuf start(ByteBufAllocator alloc) {
    Hello mine = mine();
    clientHello = mine.bytes();
    return Frames.prefaceAndHello(alloc, mine);
  }

  private Hello mine() {
    Hello base = transport.hello();
    if (key == null) {
      return base;
    }
    byte[] nonce = new byte[Hello.NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    return new Hello(base.envId(), base.window(), base.windowBytes(), base.listenAddress(), nonce);
  }

  /**
   * Handles one handshake frame; writes what must be answered to {@code out}. Returns the peer's
   * HELLO once the handshake is complete, or null while it is not.
   */
  Hello onFrame(ByteBuf frame, ByteBufAllocator alloc, Consumer<ByteBuf> out) {
    String peer = String.valueOf(connection.socketAddress());
    byte type = frame.readByte();
    if (type == Protocol.CLOSE) {
      byte code = frame.readByte();
      String reason = "peer " + peer + " refused the connection: " + Frames.readUtf8Short(frame);
      throw new HandshakeFailure(
          code == Protocol.CLOSE_AUTHENTICATION
              ? new RpcAuthenticationException(reason, connection.peerAddress(), null)
              : new RpcConnectionException(reason, connection.peerAddress(), null),
          null);
    }
    if (peerAwaitingProof == null) {
      if (type != Protocol.HELLO) {
        throw new ProtocolException(
            "Expected a handshake from " + peer + ", got frame type " + type);
      }
      return connection.isOutbound()
          ? connectingSide(frame, alloc, out)
          : acceptingSide(frame, alloc, out);
    }
    if (type != Protocol.AUTH || frame.readableBytes() != Hello.PROOF_LENGTH) {
      if (connection.isOutbound()) {
        throw failedAuthentication("sent frame type " + type + " instead of its proof");
      }
      throw refuse("sent frame type " + type + " before authenticating", "authentication required");
    }
    byte[] proof = ByteBufUtil.getBytes(frame);
    if (connection.isOutbound()) {
      if (!MessageDigest.isEqual(proof, mac(SERVER_LABEL))) {
        throw failedAuthentication(
            "its proof does not match this env's secret (spark.authenticate.secret must be "
                + "the same on both sides)");
      }
      return peerAwaitingProof;
    }
    if (!MessageDigest.isEqual(proof, mac(CLIENT_LABEL))) {
      throw refuse(
          "failed authentication: its proof does not match this env's secret",
          "authentication failed: the proof does not match (is spark.authenticate.secret the same"
              + " on both sides?)");
    }
    // Only now, to a peer that has proven it holds the secret, does this side prove itself.
    out.accept(Frames.auth(alloc, mac(SERVER_LABEL)));
    return peerAwaitingProof;
  }

  private Hello connectingSide(ByteBuf frame, ByteBufAllocator alloc, Consumer<ByteBuf> out) {
    byte[] raw = ByteBufUtil.getBytes(frame);
    Hello peer = Hello.readFrom(frame, String.valueOf(connection.socketAddress()));
    if (key == null) {
      return peer;
    }
    if (!peer.authenticates()) {
      RpcAddress who = connection.peerAddress();
      throw new HandshakeFailure(
          new RpcAuthenticationException(
              who
                  + " does not authenticate, but this env requires it (spark.authenticate=true);"
                  + " refusing the connection: there is no fallback to unauthenticated mode",
              who,
              null),
          Protocol.CLOSE_AUTHENTICATION);
    }
    serverHello = raw;
    out.accept(Frames.auth(alloc, mac(CLIENT_LABEL)));
    peerAwaitingProof = peer;
    return null;
  }

  private Hello acceptingSide(ByteBuf frame, ByteBufAllocator alloc, Consumer<ByteBuf> out) {
    byte[] raw = ByteBufUtil.getBytes(frame);
    Hello peer = Hello.readFrom(frame, String.valueOf(connection.socketAddress()));
    if (key == null) {
      answered = true;
      out.accept(Frames.prefaceAndHello(alloc, mine()));
      return peer;
    }
    if (!peer.authenticates()) {
      throw refuse(
          "does not authenticate",
          "this env requires authentication (spark.authenticate=true with a shared "
              + "secret); the connecting env does not authenticate");
    }
    clientHello = raw;
    Hello mine = mine();
    serverHello = mine.bytes();
    answered = true;
    out.accept(Frames.prefaceAndHello(alloc, mine)); // a nonce, and nothing derived from the secret
    peerAwaitingProof = peer;
    return null;
  }

  private HandshakeFailure failedAuthentication(String why) {
    RpcAddress who = connection.peerAddress();
    return new HandshakeFailure(
        new RpcAuthenticationException("Authentication with " + who + " failed: " + why, who, null),
        Protocol.CLOSE_AUTHENTICATION);
  }

  private HandshakeFailure refuse(String what, String toPeer) {
    RpcAddress who = connection.socketAddress();
    return new HandshakeFailure(
        new RpcAuthenticationException("Connection from " + who + " " + what, who, null),
        Protocol.CLOSE_AUTHENTICATION,
        toPeer);
  }

  private byte[] mac(byte[] label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(label);
      mac.update(clientHello);
      mac.update(serverHello);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
