package io.rpcenv.bench.peers;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.rpcenv.bench.harness.BenchClient;
import io.rpcenv.bench.harness.BenchServer;
import io.rpcenv.bench.harness.PeerFactory;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The practical limit: raw Netty (epoll when available), frames of {@code length:4 type:1
 * endpoint:4 payload}, echoed by the event loop with one flush per read batch; composite cumulation
 * so large frames are not copied while they accumulate. One-way sends are written and flushed every
 * 64 messages (a write-batching sender).
 */
public final class NettyPeer implements PeerFactory {
  static final byte ASK = 1;
  static final byte SEND = 2;
  static final byte COUNT = 3;
  static final byte FETCH = 4;
  static final int MAX_FRAME = 128 << 20; // S64M: 64 MiB payloads and their headers

  @Override
  public String name() {
    return "raw Netty";
  }

  private static EventLoopGroup group(int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  private static LengthFieldBasedFrameDecoder frames() {
    LengthFieldBasedFrameDecoder d = new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4);
    d.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
    return d;
  }

  /**
   * A pipeline of {@link #frames()} then {@code onFrame}, flushing what it wrote once per read
   * batch.
   */
  private static ChannelInitializer<SocketChannel> framed(
      BiConsumer<ChannelHandlerContext, ByteBuf> onFrame) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel c) {
        c.pipeline()
            .addLast(frames())
            .addLast(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    onFrame.accept(ctx, (ByteBuf) msg);
                  }

                  @Override
                  public void channelReadComplete(ChannelHandlerContext ctx) {
                    ctx.flush();
                  }
                });
      }
    };
  }

  @Override
  public BenchServer server(int endpoints) throws Exception {
    EventLoopGroup group = group(Math.min(Runtime.getRuntime().availableProcessors(), 8));
    long[] count = new long[1];
    Channel ch =
        new ServerBootstrap()
            .group(group)
            .channel(
                Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                framed(
                    (ctx, f) -> {
                      byte type = f.readByte();
                      f.skipBytes(4);
                      if (type == ASK) {
                        ByteBuf header =
                            ctx.alloc().buffer(5).writeInt(1 + f.readableBytes()).writeByte(ASK);
                        ctx.write(header);
                        ctx.write(f);
                      } else if (type == FETCH) {
                        f.release(); // the file, zero-copy (sendfile) behind an 8-byte length
                        java.io.File file = new java.io.File(System.getProperty("bench.file"));
                        ctx.write(ctx.alloc().buffer(8).writeLong(file.length()));
                        ctx.writeAndFlush(
                            new io.netty.channel.DefaultFileRegion(file, 0, file.length()));
                      } else if (type == SEND) {
                        count[0]++; // one channel per client: its event loop alone touches it
                        f.release();
                      } else {
                        f.release();
                        ctx.write(
                            ctx.alloc()
                                .buffer(13)
                                .writeInt(9)
                                .writeByte(COUNT)
                                .writeLong(count[0]));
                      }
                    }))
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    return BenchServer.of(
        ((InetSocketAddress) ch.localAddress()).getPort(),
        () -> {
          ch.close().syncUninterruptibly();
          group.shutdownGracefully().syncUninterruptibly();
        });
  }

  @Override
  public BenchClient client(int port, int endpoints) throws Exception {
    EventLoopGroup group = group(1);
    ArrayDeque<BiConsumer<ByteBuf, Throwable>> pending = new ArrayDeque<>(); // event loop only
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                framed(
                    (ctx, f) -> {
                      try {
                        f.readByte();
                        pending.poll().accept(f, null);
                      } finally {
                        f.release();
                      }
                    }))
            .connect("127.0.0.1", port)
            .sync()
            .channel();
    return new BenchClient() {
      private int unflushed;

      private void request(
          byte type, int endpoint, byte[] payload, BiConsumer<ByteBuf, Throwable> done) {
        ByteBuf frame =
            ch.alloc()
                .buffer(9 + payload.length)
                .writeInt(5 + payload.length)
                .writeByte(type)
                .writeInt(endpoint)
                .writeBytes(payload);
        if (ch.eventLoop().inEventLoop()) {
          pending.add(done);
          ch.write(frame); // flushed at the end of the read batch
        } else {
          ch.eventLoop()
              .execute(
                  () -> {
                    pending.add(done);
                    ch.writeAndFlush(frame);
                  });
        }
      }

      @Override
      public byte[] ask(int endpoint, byte[] payload) throws Exception {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        askAsync(
            endpoint,
            payload,
            (r, e) -> {
              if (e != null) {
                f.completeExceptionally(e);
              } else {
                f.complete(r);
              }
            });
        return f.get();
      }

      @Override
      public void askAsync(int endpoint, byte[] payload, BiConsumer<byte[], Throwable> done) {
        request(
            ASK,
            endpoint,
            payload,
            (buf, e) -> done.accept(buf == null ? null : ByteBufUtil.getBytes(buf), e));
      }

      @Override
      public void send(byte[] payload) {
        ch.write(
            ch.alloc()
                .buffer(9 + payload.length)
                .writeInt(5 + payload.length)
                .writeByte(SEND)
                .writeInt(0)
                .writeBytes(payload));
        if (++unflushed == 64) {
          unflushed = 0;
          ch.flush();
        }
      }

      /** A connection of its own, reading the raw bytes that follow the length. */
      @Override
      public long fetchFile() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        long[] got = {0, -1};
        Channel c =
            new Bootstrap()
                .group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .handler(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        try {
                          if (got[1] < 0) {
                            got[1] = b.readLong(); // the first read holds at least 8 bytes here
                          }
                          got[0] += b.readableBytes();
                          if (got[0] == got[1]) {
                            done.complete(got[0]);
                            ctx.close();
                          }
                        } finally {
                          b.release();
                        }
                      }
                    })
                .connect("127.0.0.1", port)
                .sync()
                .channel();
        c.writeAndFlush(c.alloc().buffer(9).writeInt(5).writeByte(FETCH).writeInt(0));
        return done.get();
      }

      @Override
      public long count() throws Exception {
        ch.flush();
        unflushed = 0;
        CompletableFuture<Long> f = new CompletableFuture<>();
        request(COUNT, 0, new byte[0], (buf, e) -> f.complete(buf.readLong()));
        return f.get();
      }

      @Override
      public void close() {
        ch.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
      }
    };
  }
}
