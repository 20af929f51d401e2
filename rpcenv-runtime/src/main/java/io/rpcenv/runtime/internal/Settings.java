package io.rpcenv.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings as one environment-variable value: one {@code base64(key):base64(value)} line per
 * setting.
 */
public final class Settings {
  private Settings() {}

  public static String encode(Map<String, String> settings) {
    StringBuilder sb = new StringBuilder();
    Base64.Encoder b64 = Base64.getEncoder();
    settings.forEach(
        (k, v) ->
            sb.append(b64.encodeToString(k.getBytes(StandardCharsets.UTF_8)))
                .append(':')
                .append(b64.encodeToString(v.getBytes(StandardCharsets.UTF_8)))
                .append('\n'));
    return sb.toString();
  }

  /**
   * Decodes what {@link #encode} made; throws {@link IllegalArgumentException} naming the bad line.
   */
  public static Map<String, String> decode(String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    Base64.Decoder b64 = Base64.getDecoder();
    int n = 0;
    for (String line : encoded.split("\n", -1)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf(':');
      try {
        out.put(
            new String(b64.decode(line.substring(0, eq)), StandardCharsets.UTF_8),
            new String(b64.decode(line.substring(eq + 1)), StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("Malformed line " + n + " in " + "RPCENV_CONF");
      }
    }
    return out;
  }
}
