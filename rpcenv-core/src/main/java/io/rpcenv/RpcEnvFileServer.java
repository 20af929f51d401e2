package io.rpcenv;

import java.nio.file.Path;

/**
 * The files a server-mode env serves to its peers, as Spark's {@code RpcEnvFileServer} does: each
 * added file gets a URI that any peer reads with {@link RpcEnv#openChannel(String)}, over its
 * connection to this env (with its authentication and TLS). Only what was added is served: a
 * request names a registered URI or gets nothing, and no path from a request is ever looked up on
 * the file system. Each file's length and SHA-256 are taken when it is added; a file that changes
 * or disappears afterwards fails the reads of it, with a message saying so. Thread-safe.
 */
public interface RpcEnvFileServer {
  /**
   * Serves {@code file} at {@code spark://host:port/files/NAME} (NAME its file name) and returns
   * that URI. Adding the same file again returns the same URI.
   *
   * @throws IllegalArgumentException if it is not a readable regular file, or another file was
   *     added under the same name (the message names both)
   */
  String addFile(Path file);

  /** As {@link #addFile}, under {@code spark://host:port/jars/NAME}. */
  String addJar(Path file);

  /**
   * Serves every regular file under {@code dir}, as it is now, at {@code
   * spark://host:port/BASE/RELATIVE/PATH}, and returns {@code spark://host:port/BASE}. Links that
   * lead out of {@code dir} are left out.
   *
   * @param baseUri a path segment such as {@code classes} (not {@code files} or {@code jars})
   * @throws IllegalArgumentException if {@code dir} is not a directory, {@code baseUri} is not a
   *     plain segment or is taken
   */
  String addDirectory(String baseUri, Path dir);
}
