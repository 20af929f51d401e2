package io.rpcenv.internal.message;

import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How dropped one-way messages are reported: their sender cannot be told, so the receiving side
 * logs them, quietly when the env is stopping (an orderly stop is not news) and as a warning
 * otherwise.
 */
final class OneWayDrops {
  private static final Logger LOG = LoggerFactory.getLogger(OneWayDrops.class);

  private OneWayDrops() {}

  static void rejected(String what, RpcException reason) {
    if (reason instanceof RpcEnvStoppedException) {
      LOG.debug("Dropped {}: {}", what, reason.getMessage());
    } else {
      LOG.warn("Dropped {}: {}", what, reason.getMessage());
    }
  }

  static void undeliverable(String what, String endpoint, Throwable error) {
    LOG.warn(
        "Dropped {}: endpoint {} could not deserialize it: {}", what, endpoint, error.toString());
  }
}
