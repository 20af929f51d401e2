package io.rpcenv.internal.files;

import io.rpcenv.IsolatedRpcEndpoint;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import java.io.IOException;

/**
 * Answers readers of this env's files, one chunk per ask, on a thread of its own (disk reads never
 * hold up other endpoints). A reader asks for the next chunk only when it has room, so a slow one
 * slows what is read for it and nothing piles up here.
 */
final class FileServerEndpoint extends RpcEndpoint implements IsolatedRpcEndpoint {
  @Override
  public int threadCount() {
    return 2; // chunks are independent: two readers are served at once
  }

  /** The largest chunk a reader may ask for. */
  static final int MAX_CHUNK = 4 << 20;

  private final RegisteredFiles files;

  FileServerEndpoint(RegisteredFiles files) {
    this.files = files;
  }

  @Override
  public void receiveAndReply(Object message, RpcCallContext context) {
    try {
      if (message instanceof FileMessages.Open o) {
        ServedFile f = files.get(o.path());
        context.reply(
            new FileMessages.Opened(f.length(), f.sha256(), ServedFile.BLOCK, f.blockCrcs()));
      } else if (message instanceof FileMessages.Read r) {
        if (r.length() <= 0 || r.length() > MAX_CHUNK) {
          throw new IOException("A chunk is 1 to " + MAX_CHUNK + " bytes, not " + r.length());
        }
        context.reply(files.get(r.path()).slice(r.offset(), r.length()));
      } else {
        context.sendFailure(
            new IllegalArgumentException("The file server does not answer " + message));
      }
    } catch (IOException e) {
      context.sendFailure(e);
    }
  }
}
