package io.rpcenv.internal.transport;

/**
 * The wire protocol. Each side first sends a 5-byte preface ({@code "RPCE"} and a version byte),
 * then frames. A frame is a 4-byte big-endian length (of what follows), a type byte, then:
 *
 * <pre>
 * HELLO     flags:1 envId:8 window:4 windowBytes:8 [host:utf8-16 port:4 unless client mode]
 *           [nonce:32 if AUTH]
 * AUTH      proof:32                (each side once, when authenticating; the connecting side first)
 * REQUEST   requestId:8 endpoint:utf8-16 body
 * ONE_WAY   endpoint:utf8-16 body
 * RESPONSE  requestId:8 body
 * FAILURE   requestId:8 code:1 message:utf8-32 className:utf8-16 stack:utf8-32 [serialized exception]
 * CLOSE     code:1 reason:utf8-16  (sent before closing a connection on purpose)
 * PING      (nothing)               (keepalive: sent on a quiet connection with outstanding asks)
 * PONG      (nothing)               (the answer to a PING, from the I/O thread)
 * CREDIT    endpoint:utf8-16 count:4 bytes:8 (the receiver handled count more messages to that
 *           endpoint, weighing bytes)
 * </pre>
 *
 * <p>Flow control is per endpoint: {@code window} in a HELLO is how many REQUEST and ONE_WAY frames
 * to one endpoint the sender of that HELLO accepts in progress at a time from this connection, and
 * {@code windowBytes} what they may weigh together (a message weighs its body's size after the tag
 * plus {@link #MESSAGE_WEIGHT}; see {@link #fits} for how a message larger than the window gets
 * through). The other side writes at most that much to each endpoint before the receiver has given
 * it back with CREDIT frames, and holds the rest; a peer that writes beyond its window breaks the
 * protocol. Replies, failures and control frames are never held, so one slow endpoint delays
 * nothing but the messages addressed to it.
 *
 * <p>The first frame in each direction is HELLO; the connecting side speaks first. With
 * authentication, each HELLO carries a fresh nonce; the connecting side then proves that it holds
 * the secret with AUTH, {@code HMAC-SHA256(key, "rpcenv-v2 client" || clientHello || serverHello)},
 * and only once that is verified does the accepting side answer with its own AUTH, {@code
 * HMAC-SHA256(key, "rpcenv-v2 server" || clientHello || serverHello)}: a peer that has not proven
 * anything receives nothing derived from the secret. No other frame is accepted before that. {@code
 * utf8-16} is a 2-byte length then UTF-8 bytes, {@code utf8-32} a 4-byte length. A body is a
 * serializer tag byte and the serialized value, and runs to the end of the frame.
 */
public final class Protocol {
  private Protocol() {}

  public static final int MAGIC = 0x52504345; // "RPCE"

  /**
   * Version 6, the fourth (5 added per-endpoint flow control, 6 its byte window): 2 and 3 are
   * skipped because a TLS stack that probes for SSLv2 reads a fifth byte of 2 or 3 after "RPC" as
   * an SSLv2 record header and waits for more bytes, instead of reporting at once that its peer
   * speaks plaintext.
   */
  public static final byte VERSION = 7; // 7: records with List, Set and Map components

  public static final int PREFACE_LENGTH = 5;

  public static final byte HELLO = 1;
  public static final byte REQUEST = 2;
  public static final byte ONE_WAY = 3;
  public static final byte RESPONSE = 4;
  public static final byte FAILURE = 5;
  public static final byte CLOSE = 6;
  public static final byte AUTH = 7;
  public static final byte PING = 8;
  public static final byte PONG = 9;
  public static final byte CREDIT = 10;

  public static final byte FLAG_CLIENT_MODE = 1;
  public static final byte FLAG_AUTH = 2;

  /** CLOSE codes. */
  public static final byte CLOSE_OTHER = 0;

  public static final byte CLOSE_AUTHENTICATION = 1;

  /** Length field plus type byte. */
  public static final int FRAME_HEADER = 5;

  /**
   * What holding one message costs on top of its serialized bytes (its objects and its share of a
   * buffer), as counted against an endpoint's byte window: tiny messages are bounded by memory too.
   */
  public static final int MESSAGE_WEIGHT = 128;

  /** The weight of a message whose body (after its tag) is {@code bodySize} bytes. */
  static long weight(long bodySize) {
    return bodySize + MESSAGE_WEIGHT;
  }

  /**
   * How much of a window the receiver lets be handled before it gives it back in one CREDIT frame:
   * a quarter, for messages and for bytes alike.
   */
  static long creditBatch(long window) {
    return Math.max(1, window / 4);
  }

  /**
   * Whether a message of {@code weight} may be written to an endpoint with {@code inProgress} bytes
   * in progress under a byte window of {@code windowBytes}: when it fits, and also whenever less
   * than one credit batch is in progress, since that much may be handled and not yet given back
   * (waiting for it would wait forever), which is also how a message larger than the window gets
   * through. The receiver's count of what is in progress is never above the sender's, so an honest
   * sender never fails the receiver's check.
   */
  static boolean fits(long inProgress, long weight, long windowBytes) {
    return inProgress < creditBatch(windowBytes) || inProgress + weight <= windowBytes;
  }

  /** Largest frame accepted before the handshake has completed. */
  public static final int MAX_HANDSHAKE_FRAME = 1024;

  /**
   * Room for frame headers on top of spark.rpc.message.maxSize: a frame longer than maxSize plus
   * this is refused from its length field alone. Bounded endpoint names and failure texts fit.
   */
  public static final int HEADER_ALLOWANCE = 64 * 1024;

  /**
   * Frames of at least this length (requests, one-way messages and replies) have their bodies
   * copied into one array as they arrive, instead of being buffered whole and copied afterwards.
   */
  public static final int LARGE_FRAME = 256 * 1024;

  /** Longest endpoint name, in UTF-8 bytes. */
  public static final int MAX_ENDPOINT_NAME = 1024;

  /** What {@link #bodyOffset} returns when more bytes are needed to tell. */
  static final int NEED_MORE = -1;

  /** What {@link #bodyOffset} returns for a frame without a message body (or a malformed one). */
  static final int NO_BODY = -2;

  /**
   * Where the body (its serializer tag) of the frame whose type byte is at {@code typeAt} starts,
   * relative to the type byte; {@link #NEED_MORE} or {@link #NO_BODY} otherwise. {@code length} is
   * the frame's length without its length field.
   */
  static int bodyOffset(io.netty.buffer.ByteBuf in, int typeAt, int length) {
    int readable = in.writerIndex() - typeAt;
    if (readable < 1) {
      return NEED_MORE;
    }
    int offset;
    switch (in.getByte(typeAt)) {
      case RESPONSE:
        offset = 1 + 8;
        break;
      case REQUEST:
      case ONE_WAY:
        {
          int nameAt = in.getByte(typeAt) == REQUEST ? 1 + 8 : 1;
          if (readable < nameAt + 2) {
            return NEED_MORE;
          }
          int n = in.getUnsignedShort(typeAt + nameAt);
          if (n > MAX_ENDPOINT_NAME) {
            return NO_BODY; // refused where the whole frame is read
          }
          offset = nameAt + 2 + n;
          break;
        }
      default:
        return NO_BODY;
    }
    if (offset >= length) {
      return NO_BODY;
    }
    return readable > offset ? offset : NEED_MORE; // the tag itself must have arrived too
  }

  /** The name of a frame type, for error texts. */
  static String typeName(byte type) {
    return switch (type) {
      case HELLO -> "HELLO";
      case REQUEST -> "REQUEST";
      case ONE_WAY -> "ONE_WAY";
      case RESPONSE -> "RESPONSE";
      case FAILURE -> "FAILURE";
      case CLOSE -> "CLOSE";
      case AUTH -> "AUTH";
      case PING -> "PING";
      case PONG -> "PONG";
      case CREDIT -> "CREDIT";
      default -> "unknown (type " + type + ")";
    };
  }

  /** Longest failure message carried in a FAILURE frame, in chars; longer ones are cut. */
  public static final int MAX_FAILURE_MESSAGE = 4 * 1024;

  /** Longest stack text carried in a FAILURE frame, in chars; longer ones are cut. */
  public static final int MAX_FAILURE_STACK = 12 * 1024;
}
