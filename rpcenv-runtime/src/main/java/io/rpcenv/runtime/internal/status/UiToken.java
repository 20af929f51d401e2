package io.rpcenv.runtime.internal.status;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The status page's access token: an HMAC-SHA256 of the application id keyed by the application's
 * secret. Whoever has the secret can compute it; the token does not reveal the secret, and it is
 * good for this application only.
 */
final class UiToken {
  /** The name of the cookie the page sets once the token was given in its URL. */
  static final String COOKIE = "rpcenv_ui_token";

  private final byte[] token;

  UiToken(String secret, String appId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] h = mac.doFinal(("rpcenv status page of " + appId).getBytes(StandardCharsets.UTF_8));
      this.token = Base64.getUrlEncoder().withoutPadding().encode(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** The token, as the URL and the cookie carry it. */
  String value() {
    return new String(token, StandardCharsets.US_ASCII);
  }

  /** Whether {@code presented} is the token; in constant time. */
  boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
  }
}
