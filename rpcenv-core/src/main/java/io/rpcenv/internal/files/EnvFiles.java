package io.rpcenv.internal.files;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvFileServer;
import io.rpcenv.RpcException;
import io.rpcenv.RpcFileChannel;
import io.rpcenv.RpcRemoteException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * One env's side of file serving: its file server (made, with its endpoint, when first asked for)
 * and the channels it opens to other envs' files.
 */
public final class EnvFiles {
  private final RpcEnv env;
  private RegisteredFiles server;

  public EnvFiles(RpcEnv env) {
    this.env = env;
  }

  /** This env's file server; its endpoint is registered the first time. */
  public synchronized RpcEnvFileServer server() {
    if (server == null) {
      RpcAddress address = env.address();
      if (address == null) {
        throw new IllegalStateException(
            "RpcEnv '" + env.name() + "' is in client mode: it has no address to serve files from");
      }
      RegisteredFiles files = new RegisteredFiles(address.hostPort());
      env.setupEndpoint(FileMessages.ENDPOINT, new FileServerEndpoint(files));
      server = files;
    }
    return server;
  }

  /** Opens {@code uri} ({@code spark://host:port/path}) on the env that serves it. */
  public RpcFileChannel open(String uri) throws IOException {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Not a file URI (spark://host:port/path): " + uri, e);
    }
    if (!"spark".equals(parsed.getScheme())
        || parsed.getHost() == null
        || parsed.getPort() < 0
        || parsed.getRawPath() == null
        || parsed.getRawPath().length() < 2
        || parsed.getRawQuery() != null
        || parsed.getRawFragment() != null) {
      throw new IllegalArgumentException("Not a file URI (spark://host:port/path): " + uri);
    }
    RpcAddress peer = new RpcAddress(parsed.getHost(), parsed.getPort());
    String path = parsed.getRawPath();
    RpcEndpointRef ref;
    FileMessages.Opened opened;
    try {
      ref = env.setupEndpointRef(peer, FileMessages.ENDPOINT);
      opened = ref.askSync(new FileMessages.Open(path));
    } catch (RpcRemoteException e) {
      throw new IOException("Cannot open " + uri + " on " + peer + ": " + e.remoteMessage(), e);
    } catch (RpcException e) {
      throw new IOException("Cannot open " + uri + ": " + e.getMessage(), e);
    }
    return new RemoteFileChannel(ref, uri, path, opened, env.defaultAskTimeout());
  }
}
