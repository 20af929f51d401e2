package io.rpcenv.internal.files;

import io.rpcenv.RpcEnvFileServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files one env serves, by the path of their URI ({@code /jars/a.jar}). The only way in is a
 * path that was registered: requests are looked up in this map and nowhere else.
 */
final class RegisteredFiles implements RpcEnvFileServer {
  private static final Logger LOG = LoggerFactory.getLogger(RegisteredFiles.class);
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final int LISTED = 20;

  private final String prefix; // spark://host:port
  private final Map<String, ServedFile> byPath = new ConcurrentHashMap<>();
  private final Map<String, Path> directories = new ConcurrentHashMap<>();

  RegisteredFiles(String hostPort) {
    this.prefix = "spark://" + hostPort;
  }

  @Override
  public String addFile(Path file) {
    return add("files", file);
  }

  @Override
  public String addJar(Path file) {
    return add("jars", file);
  }

  private String add(String base, Path file) {
    if (file.getFileName() == null) {
      throw new IllegalArgumentException("Cannot serve " + file + ": it has no file name");
    }
    return prefix + register("/" + base + "/" + file.getFileName(), ServedFile.of(file));
  }

  /** Registers {@code served} at {@code path}, or finds it there already; returns the path. */
  private String register(String path, ServedFile served) {
    ServedFile had = byPath.putIfAbsent(path, served);
    if (had != null && !had.file().equals(served.file())) {
      throw new IllegalArgumentException(
          "Cannot serve "
              + served.file()
              + " at "
              + prefix
              + path
              + ": "
              + had.file()
              + " is served there already");
    }
    if (had != null && !had.equals(served)) {
      byPath.put(path, served); // the same file, changed: serve what it is now
    }
    return path;
  }

  @Override
  public String addDirectory(String baseUri, Path dir) {
    String base = baseUri.startsWith("/") ? baseUri.substring(1) : baseUri;
    if (!SEGMENT.matcher(base).matches() || base.equals("files") || base.equals("jars")) {
      throw new IllegalArgumentException(
          "Cannot serve a directory at '"
              + baseUri
              + "': the base must be one path segment of letters, digits, '.', '_' or '-', and"
              + " not files or jars");
    }
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot serve directory " + dir + ": " + e, e);
    }
    if (!Files.isDirectory(real)) {
      throw new IllegalArgumentException("Cannot serve " + dir + ": not a directory");
    }
    Path had = directories.putIfAbsent(base, real);
    if (had != null && !had.equals(real)) {
      throw new IllegalArgumentException(
          "Cannot serve " + dir + " at " + prefix + "/" + base + ": " + had + " is served there");
    }
    try (Stream<Path> all = Files.walk(real)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Path target = p.toRealPath();
        if (!target.startsWith(real) || !Files.isRegularFile(target)) {
          LOG.warn("Not serving {}: it leads out of {} or is not a regular file", p, real);
          continue;
        }
        String rel = real.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        register("/" + base + "/" + rel, ServedFile.of(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + " to serve it", e);
    }
    return prefix + "/" + base;
  }

  /**
   * The file at {@code path}.
   *
   * @throws IOException naming what is registered under the same base when nothing is at path
   */
  ServedFile get(String path) throws IOException {
    ServedFile f = path == null ? null : byPath.get(path);
    if (f != null) {
      return f;
    }
    String where = path == null ? "" : path.length() > 256 ? path.substring(0, 256) + "..." : path;
    int slash = where.indexOf('/', 1);
    String base = slash > 0 ? where.substring(0, slash + 1) : "/";
    List<String> under = new ArrayList<>();
    for (String p : byPath.keySet()) {
      if (p.startsWith(base)) {
        under.add(p.substring(base.length()));
      }
    }
    under.sort(null);
    String listed =
        under.isEmpty()
            ? "nothing is registered under " + base
            : "registered under "
                + base
                + ": "
                + String.join(", ", under.subList(0, Math.min(LISTED, under.size())))
                + (under.size() > LISTED ? " and " + (under.size() - LISTED) + " more" : "");
    throw new IOException("No file is served at " + prefix + where + "; " + listed);
  }
}
