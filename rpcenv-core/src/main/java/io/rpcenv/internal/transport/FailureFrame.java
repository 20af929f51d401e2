package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcException;
import io.rpcenv.internal.call.FailureCode;
import io.rpcenv.internal.call.Failures;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;

/** Reads a FAILURE frame into the exception the asker sees. */
public final class FailureFrame {
  private FailureFrame() {}

  /** {@code frame} is positioned after the request id; it is not released here. */
  public static RuntimeException read(
      ByteBuf frame, MessageSerializer serializer, RefResolver refs, RpcEndpointRef target) {
    try {
      FailureCode code = FailureCode.fromWire(frame.readByte());
      String message = Frames.readUtf8Int(frame);
      String className = Frames.readUtf8Short(frame);
      String stack = Frames.readUtf8Int(frame);
      Throwable error = null;
      if (frame.isReadable()) {
        try {
          Object o = serializer.read(frame, refs);
          error = o instanceof Throwable t ? t : null;
        } catch (Exception | LinkageError e) {
          // The texts still describe it: class name, message and stack.
        }
      }
      return Failures.fromWire(code, message, className, stack, error, target);
    } catch (IndexOutOfBoundsException e) {
      return new RpcException(
          "The ask to "
              + target.endpointAddress()
              + " failed, and the failure report was "
              + "malformed: "
              + e.getMessage());
    }
  }
}
