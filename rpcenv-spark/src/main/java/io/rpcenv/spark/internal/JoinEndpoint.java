package io.rpcenv.spark.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcException;
import io.rpcenv.ThreadSafeRpcEndpoint;
import org.jspecify.annotations.Nullable;

/** The driver part's endpoint, where executor parts say they are up ({@link ExecutorJoined}). */
final class JoinEndpoint extends RpcEndpoint implements ThreadSafeRpcEndpoint {
  /** Its name in the driver's rpcenv env. */
  static final String NAME = "rpcenv-spark";

  /** Longer than any id or host name Spark makes; what a join may carry. */
  static final int MAX_NAME_LENGTH = 256;

  private final SparkExecutors executors;

  JoinEndpoint(SparkExecutors executors) {
    this.executors = executors;
  }

  @Override
  public void receiveAndReply(Object message, RpcCallContext context) {
    if (message instanceof ExecutorJoined joined) {
      String refused = invalid(joined);
      if (refused == null) {
        refused = executors.joined(joined, context.senderAddress());
      }
      if (refused == null) {
        context.reply(true);
      } else {
        context.sendFailure(
            new RpcException(
                "The rpcenv driver env refuses the join from "
                    + context.senderAddress()
                    + ": "
                    + refused));
      }
    } else {
      super.receiveAndReply(message, context);
    }
  }

  /** Why {@code joined} cannot be an executor Spark made, or null if it can. */
  static @Nullable String invalid(ExecutorJoined joined) {
    String id = problem(joined.executorId());
    if (id != null) {
      return "its executor id " + id;
    }
    String host = problem(joined.host());
    return host == null ? null : "its host " + host;
  }

  private static @Nullable String problem(@Nullable String name) {
    if (name == null || name.isBlank()) {
      return "is missing";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return "is " + name.length() + " characters long, more than " + MAX_NAME_LENGTH;
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      return "holds control characters";
    }
    return null;
  }

  @Override
  public void onDisconnected(RpcAddress remoteAddress) {
    executors.disconnected(remoteAddress);
  }
}
