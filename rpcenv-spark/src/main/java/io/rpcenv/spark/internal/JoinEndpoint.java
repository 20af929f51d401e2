package io.rpcenv.spark.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcException;
import io.rpcenv.ThreadSafeRpcEndpoint;

/** The driver part's endpoint, where executor parts say they are up ({@link ExecutorJoined}). */
final class JoinEndpoint extends RpcEndpoint implements ThreadSafeRpcEndpoint {
  /** Its name in the driver's rpcenv env. */
  static final String NAME = "rpcenv-spark";

  private final SparkExecutors executors;

  JoinEndpoint(SparkExecutors executors) {
    this.executors = executors;
  }

  @Override
  public void receiveAndReply(Object message, RpcCallContext context) {
    if (message instanceof ExecutorJoined joined) {
      if (executors.joined(joined, context.senderAddress())) {
        context.reply(true);
      } else {
        context.sendFailure(
            new RpcException(
                "Executor "
                    + joined.executorId()
                    + " is not taken on by the rpcenv driver env: Spark already removed it, or"
                    + " an executor part already joined under that id"));
      }
    } else {
      super.receiveAndReply(message, context);
    }
  }

  @Override
  public void onDisconnected(RpcAddress remoteAddress) {
    executors.disconnected(remoteAddress);
  }
}
