package io.rpcenv;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Small endpoints for tests. */
final class Endpoints {
  private Endpoints() {}

  /** Replies to every ask with what {@code handler} does with the context. */
  static RpcEndpoint replying(BiConsumer<Object, RpcCallContext> handler) {
    return new RpcEndpoint() {
      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        handler.accept(message, context);
      }
    };
  }

  /** Echoes every ask. */
  static RpcEndpoint echo() {
    return replying((m, ctx) -> ctx.reply(m));
  }

  /** Hands every one-way message to {@code sink}. */
  static RpcEndpoint receiving(Consumer<Object> sink) {
    return new RpcEndpoint() {
      @Override
      public void receive(Object message) {
        sink.accept(message);
      }
    };
  }

  /** Records lifecycle calls, messages and events as strings, in order. */
  static class Recording extends RpcEndpoint {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    volatile RpcEndpointRef selfInOnStart;
    volatile RpcEndpointRef selfInOnStop;
    volatile boolean stopCalled;

    @Override
    public void onStart() {
      selfInOnStart = self();
      events.add("onStart");
    }

    @Override
    public void receive(Object message) {
      events.add("receive:" + message);
    }

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      events.add("ask:" + message);
      context.reply(message);
    }

    @Override
    public void onConnected(RpcAddress remoteAddress) {
      events.add("connected:" + remoteAddress);
    }

    @Override
    public void onDisconnected(RpcAddress remoteAddress) {
      events.add("disconnected:" + remoteAddress);
    }

    @Override
    public void onNetworkError(Throwable cause, RpcAddress remoteAddress) {
      events.add("networkError:" + remoteAddress);
    }

    @Override
    public void onError(Throwable cause) {
      events.add("error:" + cause.getMessage());
    }

    @Override
    public void onStop() {
      selfInOnStop = self();
      stopCalled = true;
      events.add("onStop");
    }
  }
}
