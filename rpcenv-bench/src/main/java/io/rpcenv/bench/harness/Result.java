package io.rpcenv.bench.harness;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one client run measured: a rate, and for latency workloads a histogram of microseconds.
 * Travels between JVMs as one {@code RESULT key=value ...} line.
 */
public record Result(double rate, Histogram latencyMicros) {
  static final String PREFIX = "RESULT ";

  String toLine() {
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("rate", Double.toString(rate));
    if (latencyMicros != null) {
      ByteBuffer buf = ByteBuffer.allocate(latencyMicros.getNeededByteBufferCapacity());
      int n = latencyMicros.encodeIntoCompressedByteBuffer(buf);
      byte[] bytes = new byte[n];
      buf.flip();
      buf.get(bytes);
      kv.put("hist", Base64.getEncoder().encodeToString(bytes));
    }
    StringBuilder sb = new StringBuilder(PREFIX);
    kv.forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
    return sb.toString().trim();
  }

  static Result parse(String line) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : line.substring(PREFIX.length()).split(" ")) {
      int eq = part.indexOf('=');
      kv.put(part.substring(0, eq), part.substring(eq + 1));
    }
    Histogram h = null;
    if (kv.containsKey("hist")) {
      try {
        h =
            Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(kv.get("hist"))), 0);
      } catch (DataFormatException e) {
        throw new IllegalArgumentException("bad histogram in " + line, e);
      }
    }
    return new Result(Double.parseDouble(kv.get("rate")), h);
  }
}
