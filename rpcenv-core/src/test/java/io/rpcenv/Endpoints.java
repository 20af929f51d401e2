package io.rpcenv;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Small endpoints for tests. */
public final class Endpoints {
  private Endpoints() {}

  /** Replies to every ask with what {@code handler} does with the context. */
  public static RpcEndpoint replying(BiConsumer<Object, RpcCallContext> handler) {
    return new RpcEndpoint() {
      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        handler.accept(message, context);
      }
    };
  }

  /** Echoes every ask. */
  public static RpcEndpoint echo() {
    return replying((m, ctx) -> ctx.reply(m));
  }

  /** Hands every one-way message to {@code sink}. */
  public static RpcEndpoint receiving(Consumer<Object> sink) {
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

    /** Every event {@link #next} and {@link #anyWithin} have taken, in order, skipped ones too. */
    final java.util.List<String> seen =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /**
     * The next event starting with {@code prefix}, skipping others; fails after 20 s without one.
     */
    String next(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      java.util.List<String> skipped = new java.util.ArrayList<>();
      while (System.nanoTime() < deadline) {
        String ev = events.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        if (ev != null) {
          seen.add(ev);
        }
        if (ev != null && ev.startsWith(prefix)) {
          return ev;
        }
        if (ev != null) {
          skipped.add(ev);
        }
      }
      throw new AssertionError("no event starting with " + prefix + "; saw " + skipped);
    }

    /** Whether an event starting with {@code prefix} comes within {@code millis}. */
    boolean anyWithin(String prefix, long millis) throws InterruptedException {
      long deadline =
          System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
      for (long left; (left = deadline - System.nanoTime()) > 0; ) {
        String ev = events.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (ev != null) {
          seen.add(ev);
        }
        if (ev != null && ev.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }

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
