package io.rpcenv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.Timer;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcEndpointNotFoundException;
import io.rpcenv.RpcException;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.call.Failures;
import io.rpcenv.internal.call.PendingAsk;
import io.rpcenv.internal.codec.Codec;
import io.rpcenv.internal.dispatch.Dispatcher;
import io.rpcenv.internal.dispatch.Inbox;
import io.rpcenv.internal.dispatch.RpcThread;
import io.rpcenv.internal.message.LocalAsk;
import io.rpcenv.internal.message.LocalOneWay;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.Transport;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a ref's {@code send} and {@code ask} go: to a local endpoint's inbox, or encoded onto the
 * connection to the env the ref points at (dialed if needed). It also keeps {@code askSync} from
 * the two ways it would deadlock: on an I/O thread, and an endpoint asking itself from its only
 * thread.
 */
final class Outbound {
  private final NettyRpcEnv env;
  private final Dispatcher dispatcher;
  private final Codec codec;
  private final Timer timer;
  private final Transport transport;

  /**
   * The codec when local messages are serialized too (spark.rpc.serializeLocalMessages), else null.
   */
  private final Codec localCopier;

  Outbound(
      NettyRpcEnv env,
      Dispatcher dispatcher,
      Codec codec,
      Timer timer,
      Transport transport,
      boolean serializeLocal) {
    this.env = env;
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.timer = timer;
    this.transport = transport;
    this.localCopier = serializeLocal ? codec : null;
  }

  void send(NettyRpcEndpointRef ref, Object message) {
    env.checkCanSend("send to ", ref);
    if (ref.isLocal()) {
      localInbox(ref).post(new LocalOneWay(localCopy(message, "message", ref), ref.name()));
      return;
    }
    Connection c = connectionFor(ref);
    c.send(ref.name(), codec.oneWay(ref.nameUtf8(), message, ref));
  }

  <T> PendingAsk<T> ask(NettyRpcEndpointRef ref, Object message, RpcTimeout timeout) {
    RpcAddress peer =
        ref.address() != null
            ? ref.address()
            : ref.connection() != null ? ref.connection().socketAddress() : null;
    PendingAsk<T> pending = new PendingAsk<>(ref, peer, message, timeout, ref.askMetrics(peer));
    try {
      env.checkCanSend("ask ", ref);
      if (ref.isLocal()) {
        Inbox inbox = localInbox(ref);
        Object content = localCopy(message, "ask", ref);
        pending.startTimer(timer);
        inbox.post(new LocalAsk(pending, content, localCopier, env.address()));
      } else {
        Connection c = connectionFor(ref);
        long id = c.nextRequestId();
        ByteBuf frame = codec.request(id, ref.nameUtf8(), message, ref);
        try {
          pending.startTimer(timer);
        } catch (RuntimeException timerStopped) {
          frame.release(); // the env closed while the frame was being made
          env.checkCanSend("ask ", ref);
          throw timerStopped;
        }
        c.ask(ref.name(), id, pending, frame);
      }
    } catch (RpcException e) {
      pending.fail(e);
    } catch (RuntimeException e) {
      pending.fail(new RpcException("The " + pending.describe() + " failed: " + e, e));
    }
    return pending;
  }

  <T> T askSync(NettyRpcEndpointRef ref, Object message, RpcTimeout timeout) {
    RpcThread thread = RpcThread.current();
    if (thread != null) {
      if (thread.isIo()) {
        throw new IllegalStateException(
            "askSync to "
                + ref.endpointAddress()
                + " called on rpcenv I/O thread "
                + thread.getName()
                + ", where waiting would stall network I/O; use ask() and continue on the future");
      }
      if (thread.owner() == env && ref.isLocal()) {
        Inbox target = dispatcher.inbox(ref.name());
        if (target != null && target == thread.currentInbox() && target.isSingleThreaded()) {
          throw new IllegalStateException(
              "Endpoint "
                  + ref.endpointAddress()
                  + " called askSync on itself from its own message handler; it handles one message"
                  + " at a time, so the ask could only time out. Use ask() and continue on the"
                  + " future instead");
        }
      }
    }
    PendingAsk<T> pending = ask(ref, message, timeout);
    try {
      // The ask fails by itself at its deadline; the extra second only guards against a hang.
      return timeout.isInfinite()
          ? pending.get()
          : pending.get(
              timeout.duration().toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw Failures.unwrap(e, "The " + pending.describe() + " failed");
    } catch (TimeoutException e) {
      RpcException late =
          timeout.timeoutException(
              "No reply from " + ref.endpointAddress() + " in " + timeout.describe());
      pending.abort(late);
      throw late;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      RpcException interrupted =
          new RpcException("Interrupted while waiting for the " + pending.describe(), e);
      pending.abort(interrupted);
      throw interrupted;
    } catch (CancellationException e) {
      throw new RpcException("The " + pending.describe() + " was cancelled", e);
    }
  }

  private Connection connectionFor(NettyRpcEndpointRef ref) {
    Connection c = ref.connection();
    if (c != null) {
      if (c.isClosed()) {
        throw new RpcConnectionException(
            "Cannot reach "
                + ref.endpointAddress()
                + ": the connection from its "
                + "client-mode env ("
                + c.socketAddress()
                + ") has closed",
            c.socketAddress(),
            null);
      }
      return c;
    }
    if (ref.address() == null) {
      throw new RpcConnectionException(
          "Cannot reach "
              + ref.endpointAddress()
              + " from "
              + env.where()
              + ": it lives in a client-mode env, which has no listen address, and that env has no"
              + " connection to this one",
          null,
          null);
    }
    Connection last = ref.lastConnection();
    if (last != null && !last.isClosed()) {
      return last;
    }
    Connection fresh = transport.connectionTo(ref.address());
    ref.lastConnection(fresh);
    return fresh;
  }

  /** The inbox of a local ref's endpoint; throws if it is not registered. */
  private Inbox localInbox(NettyRpcEndpointRef ref) {
    Inbox inbox = dispatcher.inbox(ref.name());
    if (inbox == null) {
      throw notFound(ref);
    }
    return inbox;
  }

  /**
   * {@code message} as a local endpoint gets it: copied through the codec when local messages are
   * serialized.
   */
  private Object localCopy(Object message, String kind, NettyRpcEndpointRef ref) {
    return localCopier != null && message != null
        ? localCopier.roundTrip(message, kind + " to " + ref.endpointAddress())
        : message;
  }

  private RpcEndpointNotFoundException notFound(NettyRpcEndpointRef ref) {
    return new RpcEndpointNotFoundException(
        "Cannot find endpoint: "
            + ref.endpointAddress()
            + " (no endpoint '"
            + ref.name()
            + "' is registered in "
            + env.where()
            + ")");
  }
}
