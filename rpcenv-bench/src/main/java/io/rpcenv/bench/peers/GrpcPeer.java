package io.rpcenv.bench.peers;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.rpcenv.bench.harness.BenchClient;
import io.rpcenv.bench.harness.BenchServer;
import io.rpcenv.bench.harness.PeerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * gRPC-java: unary calls with a byte[] marshaller for asks, a client stream for one-way sends;
 * direct executors on both sides (its fastest configuration), plaintext.
 */
public final class GrpcPeer implements PeerFactory {
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
  static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("bench/Echo")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();
  static final MethodDescriptor<byte[], byte[]> SINK =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
          .setFullMethodName("bench/Sink")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();
  static final int MAX = 64 << 20;

  @Override
  public String name() {
    return "gRPC";
  }

  @Override
  public BenchServer server(int endpoints) throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .maxInboundMessageSize(MAX)
            .addService(
                ServerServiceDefinition.builder("bench")
                    .addMethod(
                        ECHO,
                        ServerCalls.asyncUnaryCall(
                            (byte[] req, StreamObserver<byte[]> out) -> {
                              out.onNext(req);
                              out.onCompleted();
                            }))
                    .addMethod(
                        SINK,
                        ServerCalls.asyncClientStreamingCall(
                            out ->
                                new StreamObserver<byte[]>() {
                                  long n;

                                  @Override
                                  public void onNext(byte[] value) {
                                    n++;
                                  }

                                  @Override
                                  public void onError(Throwable t) {}

                                  @Override
                                  public void onCompleted() {
                                    out.onNext(ByteBuffer.allocate(8).putLong(n).array());
                                    out.onCompleted();
                                  }
                                }))
                    .build())
            .build()
            .start();
    return BenchServer.of(
        server.getPort(), () -> server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
  }

  @Override
  public BenchClient client(int port, int endpoints) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .directExecutor()
            .maxInboundMessageSize(MAX)
            .build();
    return new BenchClient() {
      private final AtomicLong counted = new AtomicLong();
      private StreamObserver<byte[]> stream;
      private CompletableFuture<Long> streamCount;

      @Override
      public byte[] ask(int endpoint, byte[] payload) {
        return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, payload);
      }

      @Override
      public void askAsync(int endpoint, byte[] payload, BiConsumer<byte[], Throwable> done) {
        ClientCalls.asyncUnaryCall(
            channel.newCall(ECHO, CallOptions.DEFAULT),
            payload,
            new StreamObserver<>() {
              byte[] reply;

              @Override
              public void onNext(byte[] value) {
                reply = value;
              }

              @Override
              public void onError(Throwable t) {
                done.accept(null, t);
              }

              @Override
              public void onCompleted() {
                done.accept(reply, null);
              }
            });
      }

      @Override
      public void send(byte[] payload) {
        if (stream == null) {
          CompletableFuture<Long> f = new CompletableFuture<>();
          streamCount = f;
          stream =
              ClientCalls.asyncClientStreamingCall(
                  channel.newCall(SINK, CallOptions.DEFAULT),
                  new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                      f.complete(ByteBuffer.wrap(value).getLong());
                    }

                    @Override
                    public void onError(Throwable t) {
                      f.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                  });
        }
        stream.onNext(payload);
      }

      @Override
      public long count() throws Exception {
        if (stream != null) {
          stream.onCompleted();
          counted.addAndGet(streamCount.get());
          stream = null;
        }
        return counted.get();
      }

      @Override
      public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    };
  }
}
