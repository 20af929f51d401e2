package io.rpcenv.runtime.internal;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcConfigKeys;
import io.rpcenv.RpcSecurityManager;
import io.rpcenv.SecurityConfigKeys;
import io.rpcenv.runtime.RuntimeConfigKeys;
import java.time.Duration;

/** What the driver and executors check or derive from their settings before they start. */
public final class SettingChecks {
  private SettingChecks() {}

  /** A fresh secret when authentication is on and none is given anywhere; else null. */
  public static String secretToGenerate(RpcConf conf) {
    boolean given =
        conf.get(SecurityConfigKeys.AUTH_SECRET) != null
            || conf.get(SecurityConfigKeys.AUTH_SECRET_FILE) != null
            || System.getenv(RpcSecurityManager.SECRET_ENV) != null;
    return conf.get(SecurityConfigKeys.AUTHENTICATE) && !given
        ? RpcSecurityManager.generateSecret()
        : null;
  }

  /** Refuses a heartbeat interval that would expire every executor. */
  public static void checkHeartbeat(RpcConf conf) {
    Duration hb = conf.get(RuntimeConfigKeys.HEARTBEAT_INTERVAL);
    Duration timeout = conf.get(RpcConfigKeys.NETWORK_TIMEOUT);
    if (hb.compareTo(timeout) >= 0) {
      throw new IllegalArgumentException(
          "spark.executor.heartbeatInterval ("
              + hb.toMillis()
              + " ms) must be less "
              + "than spark.network.timeout ("
              + timeout.toMillis()
              + " ms), or every executor would be expired");
    }
  }
}
