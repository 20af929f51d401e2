package io.rpcenv;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Recognises IPv6 literals and prints them in RFC 5952 form, without any DNS lookup. */
final class Ipv6Literals {
  // Hex digits, colons and dots (for an embedded IPv4 tail), optional brackets, optional zone.
  private static final Pattern LOOKS_LIKE_IPV6 =
      Pattern.compile("\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[^\\]]+)?]?");

  private Ipv6Literals() {}

  /**
   * Returns {@code host} bracketed and in canonical compressed form if it is an IPv6 literal, or
   * {@code host} unchanged otherwise. {@code ::1}, {@code [::1]} and {@code ::0:1} all become
   * {@code [::1]}.
   */
  static String normalize(String host) {
    if (host.indexOf(':') < 0 || !LOOKS_LIKE_IPV6.matcher(host).matches()) {
      return host;
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    String zone = "";
    int percent = bare.indexOf('%');
    if (percent >= 0) {
      zone = bare.substring(percent);
      bare = bare.substring(0, percent);
    }
    byte[] bytes;
    try {
      // A literal never triggers a lookup: InetAddress parses it directly.
      bytes = InetAddress.getByName(bare).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Invalid IPv6 address literal: " + host, e);
    }
    if (bytes.length != 16) {
      // An IPv4-mapped literal (::ffff:a.b.c.d) parses to an IPv4 address; keep its mapped form.
      return "[::ffff:"
          + (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff)
          + "]";
    }
    return "[" + format(bytes) + zone + "]";
  }

  /**
   * RFC 5952: lower-case hex, no leading zeros, the longest run (two or more) of zero groups as
   * "::".
   */
  static String format(byte[] bytes) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
