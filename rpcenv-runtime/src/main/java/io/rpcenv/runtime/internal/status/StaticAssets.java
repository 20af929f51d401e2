package io.rpcenv.runtime.internal.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The status page and what it loads, read from this jar once: clusters are often offline, so
 * nothing comes from elsewhere.
 */
final class StaticAssets {
  /** One file: its type and its bytes (never changed after loading). */
  static final class Asset {
    private final String contentType;
    private final byte[] bytes;

    Asset(String contentType, byte[] bytes) {
      this.contentType = contentType;
      this.bytes = bytes;
    }

    String contentType() {
      return contentType;
    }

    byte[] bytes() {
      return bytes;
    }
  }

  private static final String BASE = "/io/rpcenv/runtime/status/";

  private final Map<String, Asset> byPath = new HashMap<>();

  StaticAssets() {
    Asset index = load("index.html", "text/html; charset=utf-8");
    byPath.put("/", index);
    byPath.put("/index.html", index);
    byPath.put("/status.js", load("status.js", "text/javascript; charset=utf-8"));
    byPath.put("/status.css", load("status.css", "text/css; charset=utf-8"));
    byPath.put("/favicon.svg", load("favicon.svg", "image/svg+xml"));
  }

  private static Asset load(String name, String type) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("The status page's " + name + " is missing from the jar");
      }
      return new Asset(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The asset served at {@code path}, or null. */
  Asset get(String path) {
    return byPath.get(path);
  }
}
