package io.rpcenv.runtime.internal;

import io.rpcenv.SecurityConfigKeys;
import java.util.LinkedHashMap;
import java.util.Locale;
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

  /** What {@link #redacted} shows instead of a secret's value. */
  public static final String REDACTED = "*********(redacted)";

  /**
   * {@code settings} with the values of secrets, passwords and tokens replaced by {@link
   * #REDACTED}, as Spark's UI shows them.
   */
  public static Map<String, String> redacted(Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    settings.forEach(
        (k, v) -> {
          String lower = k.toLowerCase(Locale.ROOT);
          boolean secret =
              SecurityConfigKeys.isSecret(k)
                  || lower.contains("token")
                  || lower.contains("access.key");
          out.put(k, secret ? REDACTED : v);
        });
    return out;
  }
}
