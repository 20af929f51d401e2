package io.rpcenv.internal.files;

import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEnv;
import java.util.function.LongFunction;

/** The file server's messages, for tests that send what no honest reader or server would. */
public final class FileProbe {
  private FileProbe() {}

  /** The size of the blocks a server describes its files in. */
  public static final int BLOCK = ServedFile.BLOCK;

  /** How many blocks a reader asks for ahead of what it has read. */
  public static final int AHEAD = RemoteFileChannel.AHEAD;

  public static Object read(String path, long offset, int length) {
    return new FileMessages.Read(path, offset, length);
  }

  /**
   * Registers, in place of {@code env}'s file server, one that describes every file as {@code
   * length} bytes in blocks of {@code blockSize} with the given checksums, and answers a read from
   * offset N with {@code blocks.apply(N)}. Returns the URI a reader opens.
   */
  public static String lyingServer(
      RpcEnv env, long length, int blockSize, int[] blockCrcs, LongFunction<Object> blocks) {
    env.setupEndpoint(
        FileMessages.ENDPOINT,
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            if (message instanceof FileMessages.Open) {
              context.reply(new FileMessages.Opened(length, "ab".repeat(32), blockSize, blockCrcs));
            } else {
              context.reply(blocks.apply(((FileMessages.Read) message).offset()));
            }
          }
        });
    return "spark://" + env.address().hostPort() + "/files/lie.bin";
  }
}
