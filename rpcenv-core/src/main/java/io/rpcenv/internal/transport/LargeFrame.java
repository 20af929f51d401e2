package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;

/**
 * A frame whose body was large enough to be assembled in an array as it arrived: {@code head} holds
 * the frame from its type byte through the body's serializer tag, {@code rest} the body's bytes
 * after the tag.
 */
@SuppressWarnings("ArrayRecordComponent") // a carrier between two handlers, never compared
record LargeFrame(ByteBuf head, byte[] rest) {}
