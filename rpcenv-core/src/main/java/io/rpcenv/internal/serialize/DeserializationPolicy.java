package io.rpcenv.internal.serialize;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * What may be deserialized from the network: limits on graph depth, references, array length and
 * bytes, checked first, then a class allow-list: JDK value and collection types and rpcenv's own,
 * plus {@code spark.rpc.serializer.allowList}. Anything else is rejected before it is constructed.
 * (The JDK's pattern filters were not used because their rejections do not say which rule fired.)
 */
public final class DeserializationPolicy {
  /**
   * Always allowed: JDK value, collection, time and exception types, and rpcenv's protocol types.
   */
  static final List<String> BUILT_IN =
      List.of(
          "java.lang.*",
          "java.util.*",
          "java.util.concurrent.*",
          "java.util.concurrent.atomic.*",
          "java.time.*",
          "java.math.*",
          "java.io.*",
          "java.net.URI",
          "java.net.InetSocketAddress",
          "java.net.InetAddress",
          "java.net.Inet4Address",
          "java.net.Inet6Address",
          "java.net.Inet6Address$Inet6AddressHolder",
          "java.net.InetAddress$InetAddressHolder",
          // What a Scala object (a case object) is written as: it names the object's class, which
          // the filter checks next, so the proxy admits no more than the class it stands for.
          "scala.runtime.ModuleSerializationProxy",
          "io.rpcenv.**");

  private final List<String> exact = new ArrayList<>();
  private final List<String> packages = new ArrayList<>();
  private final List<String> packageTrees = new ArrayList<>();
  private final int maxDepth;
  private final long maxReferences;
  private final long maxArrayLength;
  private final long maxBytes;

  /**
   * @param allowList extra patterns: {@code a.b.C}, {@code a.b.*} (package), {@code a.b.**} (and
   *     subpackages)
   */
  public DeserializationPolicy(
      List<String> allowList,
      int maxDepth,
      long maxReferences,
      long maxArrayLength,
      long maxBytes) {
    for (String p : BUILT_IN) {
      add(p);
    }
    for (String p : allowList) {
      add(p);
    }
    this.maxDepth = maxDepth;
    this.maxReferences = maxReferences;
    this.maxArrayLength = maxArrayLength;
    this.maxBytes = maxBytes;
  }

  private void add(String pattern) {
    String p = pattern.trim();
    if (p.isEmpty()) {
      return;
    }
    if (p.startsWith("!") || p.contains("=") || p.contains(";")) {
      throw new IllegalArgumentException(
          "spark.rpc.serializer.allowList entries are class names or package "
              + "patterns (com.example.Foo, com.example.*, com.example.**), not filter rules: \""
              + p
              + "\"");
    }
    if (p.endsWith(".**")) {
      packageTrees.add(p.substring(0, p.length() - 2)); // "a.b."
    } else if (p.endsWith(".*")) {
      packages.add(p.substring(0, p.length() - 1)); // "a.b."
    } else {
      exact.add(p);
    }
  }

  /** Whether a class of this name may be deserialized. */
  public boolean allows(String className) {
    if (exact.contains(className)) {
      return true;
    }
    for (String tree : packageTrees) {
      if (className.startsWith(tree)) {
        return true;
      }
    }
    int dot = className.lastIndexOf('.');
    String pkg = dot < 0 ? "" : className.substring(0, dot + 1);
    return packages.contains(pkg);
  }

  public int maxDepth() {
    return maxDepth;
  }

  public long maxReferences() {
    return maxReferences;
  }

  public long maxArrayLength() {
    return maxArrayLength;
  }

  private String deeperThanAllowed() {
    return "the object graph is deeper than spark.rpc.serializer.maxDepth (" + maxDepth + ")";
  }

  private String tooManyReferencesText() {
    return "it holds more than spark.rpc.serializer.maxReferences ("
        + maxReferences
        + ") references";
  }

  private String arrayTooLongText(long length) {
    return "it declares an array of "
        + length
        + " elements, more than spark.rpc.serializer.maxArrayLength ("
        + maxArrayLength
        + ")";
  }

  private static String notAllowedText(String className) {
    int dot = className.lastIndexOf('.');
    String pkg = dot < 0 ? "(default package)" : className.substring(0, dot);
    return "class "
        + className
        + " is not allowed: add it (or its package, "
        + pkg
        + ".*) to spark.rpc.serializer.allowList";
  }

  /** The errors of readers that do not go through an object stream, worded as the filter's. */
  public InvalidClassException notAllowed(String className) {
    return rejection(notAllowedText(className));
  }

  public InvalidClassException tooDeep() {
    return rejection(deeperThanAllowed());
  }

  public InvalidClassException tooManyReferences() {
    return rejection(tooManyReferencesText());
  }

  public InvalidClassException arrayTooLong(long length) {
    return rejection(arrayTooLongText(length));
  }

  private static InvalidClassException rejection(String why) {
    return new InvalidClassException("Deserialization rejected: " + why);
  }

  /**
   * A filter for one stream of {@code streamLength} bytes; it remembers why it rejected. Besides
   * the limits, it refuses any array (and any collection that sizes its table from the stream,
   * which the JDK's collections check as arrays) longer than the bytes still unread could fill,
   * counting each element at its smallest encoding: the width of a primitive, one byte for an
   * object (a null). So a few bytes can never make the receiver allocate much.
   */
  Filter newFilter(long streamLength) {
    return new Filter(streamLength);
  }

  /** The fewest stream bytes one element of an array of {@code arrayClass} takes. */
  static int minElementBytes(Class<?> arrayClass) {
    Class<?> c = arrayClass == null ? null : arrayClass.getComponentType();
    if (c == null || !c.isPrimitive()) {
      return 1;
    }
    return c == long.class || c == double.class
        ? 8
        : c == int.class || c == float.class ? 4 : c == short.class || c == char.class ? 2 : 1;
  }

  private static String arrayBeyondBytesText(long length, int elementBytes, long left) {
    return "it declares an array of "
        + length
        + " elements ("
        + elementBytes
        + " byte"
        + (elementBytes == 1 ? "" : "s")
        + " each at least), more than the "
        + left
        + " bytes left in the message could hold";
  }

  /** One stream's filter. */
  final class Filter implements ObjectInputFilter {
    private final long streamLength;
    private String rejection;

    private Filter(long streamLength) {
      this.streamLength = streamLength;
    }

    @Override
    public Status checkInput(FilterInfo info) {
      if (info.depth() > maxDepth) {
        return reject(deeperThanAllowed());
      }
      if (info.references() > maxReferences) {
        return reject(tooManyReferencesText());
      }
      if (info.arrayLength() > maxArrayLength) {
        return reject(arrayTooLongText(info.arrayLength()));
      }
      // -1 is what the filter sees for a class check; a length of -1 itself fails the allocation,
      // which the reader reports as a broken stream.
      if (info.arrayLength() < -1) {
        return reject("it declares an array of negative length " + info.arrayLength());
      }
      if (info.arrayLength() > 0) {
        int elementBytes = minElementBytes(info.serialClass());
        long left = Math.max(0, streamLength - info.streamBytes());
        if (info.arrayLength() > left / elementBytes) {
          return reject(arrayBeyondBytesText(info.arrayLength(), elementBytes, left));
        }
      }
      if (info.streamBytes() > maxBytes) {
        return reject("it is longer than " + maxBytes + " bytes");
      }
      Class<?> c = info.serialClass();
      if (c == null) {
        return Status.UNDECIDED; // limits only; the class was checked when first seen
      }
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive() || allows(c.getName())) {
        return Status.ALLOWED;
      }
      return reject(notAllowedText(c.getName()));
    }

    private Status reject(String why) {
      if (rejection == null) {
        rejection = why;
      }
      return Status.REJECTED;
    }

    /** Why the stream was rejected, or null if it was not. */
    String rejection() {
      return rejection;
    }

    /** The exception for a rejected stream. */
    InvalidClassException rejected(IOException raised) {
      InvalidClassException e = DeserializationPolicy.rejection(rejection);
      e.initCause(raised);
      return e;
    }
  }
}
