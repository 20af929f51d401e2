package io.rpcenv.runtime.internal;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcFileChannel;
import io.rpcenv.plugin.host.PluginLoader;
import io.rpcenv.runtime.RuntimeConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's jars ({@code spark.jars}): the driver serves them and hands their URIs to
 * executors in {@link #URIS}; an executor fetches each into its cache folder, under its SHA-256 (a
 * jar already there with that digest is not fetched again), and both load plugins and their
 * messages through a class loader over them.
 */
public final class ApplicationJars {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationJars.class);

  /** Set by the driver for its executors: the jars' URIs, comma-separated. */
  public static final String URIS = "spark.rpcenv.jarUris";

  private ApplicationJars() {}

  /** The local jars {@code spark.jars} names, each checked to be a readable file. */
  public static List<Path> configured(RpcConf conf) {
    List<Path> jars = new ArrayList<>();
    for (String s : conf.get(RuntimeConfigKeys.JARS).split(",", -1)) {
      if (s.isBlank()) {
        continue;
      }
      Path p = Path.of(s.trim());
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IllegalArgumentException(
            "spark.jars names " + p.toAbsolutePath() + ", which is not a readable file");
      }
      jars.add(p);
    }
    return jars;
  }

  /**
   * Runs {@code start} with a class loader over {@code jars} (in front of the thread's, or {@code
   * fallback}'s) as the thread's context loader, so the env it creates, the env's threads and the
   * plugins load classes and messages through the jars; the thread's loader is put back after.
   */
  public static <T> T withLoader(List<Path> jars, Class<?> fallback, Supplier<T> start) {
    Thread self = Thread.currentThread();
    ClassLoader was = self.getContextClassLoader();
    self.setContextClassLoader(loader(jars, PluginLoader.contextLoader(fallback)));
    try {
      return start.get();
    } finally {
      self.setContextClassLoader(was);
    }
  }

  /** A class loader over {@code jars} in front of {@code parent}, or parent itself without jars. */
  static ClassLoader loader(List<Path> jars, ClassLoader parent) {
    if (jars.isEmpty()) {
      return parent;
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("Cannot load classes from " + jars.get(i), e);
      }
    }
    return new URLClassLoader("rpcenv-application-jars", urls, parent);
  }

  /**
   * The executor's side: every jar in {@code conf}'s {@link #URIS}, fetched through {@code env}.
   */
  public static List<Path> fetch(RpcEnv env, RpcConf conf) throws IOException {
    String uris = conf.get(URIS, "");
    if (uris.isBlank()) {
      return List.of();
    }
    String dir = conf.get(RuntimeConfigKeys.JAR_CACHE);
    Path cache =
        dir != null
            ? Path.of(dir)
            : Path.of(System.getProperty("java.io.tmpdir"), "rpcenv-jar-cache");
    List<Path> jars = new ArrayList<>();
    for (String uri : uris.split(",", -1)) {
      jars.add(fetch(env, uri.trim(), cache));
    }
    return jars;
  }

  private static Path fetch(RpcEnv env, String uri, Path cache) throws IOException {
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    if (!name.matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
      throw new IOException("Not fetching " + uri + ": '" + name + "' is not a plain jar name");
    }
    try (RpcFileChannel ch = env.openChannel(uri)) {
      Path folder = cache.resolve(ch.sha256());
      Path jar = folder.resolve(name);
      if (Files.isRegularFile(jar) && ch.sha256().equals(sha256(jar))) {
        LOG.info("Using {} from the jar cache ({})", name, jar);
        return jar;
      }
      Files.createDirectories(folder);
      // Written beside its final place and moved there whole: a partial download is never there.
      Path part = folder.resolve("." + name + "." + UUID.randomUUID() + ".part");
      try {
        MessageDigest sha = newSha256();
        try (FileChannel out =
            FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.allocate(1 << 16);
          while (ch.read(buf) >= 0) {
            buf.flip();
            sha.update(buf.duplicate());
            while (buf.hasRemaining()) {
              out.write(buf);
            }
            buf.clear();
          }
        }
        // The cache is keyed by this digest: what is stored under it must have it.
        String got = HexFormat.of().formatHex(sha.digest());
        if (!got.equals(ch.sha256())) {
          throw new IOException(
              "Fetched "
                  + uri
                  + " but its bytes have SHA-256 "
                  + got
                  + ", not the driver's "
                  + ch.sha256()
                  + "; not caching it");
        }
        Files.move(part, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(part);
      }
      LOG.info("Fetched {} ({} bytes) from the driver into {}", name, ch.length(), jar);
      return jar;
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest sha = newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) >= 0) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
