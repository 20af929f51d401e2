package io.rpcenv.runtime.internal;

import io.rpcenv.SecurityConfigKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which settings are secrets: they never travel to executors over RPC, nor on a command line. */
public final class SecretSettings {
  private SecretSettings() {}

  /** {@code settings} without secrets and passwords ({@link SecurityConfigKeys#isSecret}). */
  public static Map<String, String> withoutSecrets(Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    settings.forEach(
        (k, v) -> {
          if (!SecurityConfigKeys.isSecret(k)) {
            out.put(k, v);
          }
        });
    return out;
  }
}
