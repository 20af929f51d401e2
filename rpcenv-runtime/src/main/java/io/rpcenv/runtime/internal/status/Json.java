package io.rpcenv.runtime.internal.status;

import java.util.Collection;
import java.util.Map;

/**
 * Writes values as JSON: maps (keys in their order), collections, strings, numbers, booleans and
 * null. Numbers that are not finite become null, as JSON has no NaN.
 */
final class Json {
  private Json() {}

  /** {@code value} as JSON text. */
  static String write(Object value) {
    StringBuilder b = new StringBuilder(256);
    write(value, b);
    return b.toString();
  }

  private static void write(Object value, StringBuilder b) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(first ? "" : ",");
        first = false;
        string(String.valueOf(e.getKey()), b);
        b.append(':');
        write(e.getValue(), b);
      }
      b.append('}');
    } else if (value instanceof Collection<?> c) {
      b.append('[');
      boolean first = true;
      for (Object o : c) {
        b.append(first ? "" : ",");
        first = false;
        write(o, b);
      }
      b.append(']');
    } else if (value instanceof Double d) {
      b.append(d.isNaN() || d.isInfinite() ? "null" : number(d));
    } else if (value instanceof Number || value instanceof Boolean) {
      b.append(value);
    } else {
      string(value.toString(), b);
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          // Control characters, and < > & so a value can never close a script or a tag.
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
