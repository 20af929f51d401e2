package io.rpcenv.internal.files;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvFileServer;
import io.rpcenv.RpcException;
import io.rpcenv.RpcFileChannel;
import io.rpcenv.RpcRemoteException;
import io.rpcenv.internal.transport.SpareArrays;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One env's side of file serving: its file server (made, with its endpoint, when first asked for)
 * and the channels it opens to other envs' files.
 */
public final class EnvFiles {
  private final RpcEnv env;
  private final SpareArrays spares;
  private final AtomicInteger openChannels = new AtomicInteger();
  private RegisteredFiles server;

  /**
   * @param spares where readers give back the arrays of blocks they have read (from {@link
   *     #spareBlocks()}), for the transport to assemble the next blocks in
   */
  public EnvFiles(RpcEnv env, SpareArrays spares) {
    this.env = env;
    this.spares = spares;
  }

  /**
   * Room for as many spare block arrays as one reader asks for ahead (8 MiB), kept while a channel
   * is open.
   */
  public static SpareArrays spareBlocks() {
    return new SpareArrays(ServedFile.BLOCK, RemoteFileChannel.AHEAD);
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
    RemoteFileChannel channel =
        new RemoteFileChannel(
            ref, uri, path, opened, env.defaultAskTimeout(), spares, this::channelClosed);
    openChannels.incrementAndGet();
    return channel;
  }

  /** When the last channel open closes, the spare block arrays go: they served its reads. */
  private void channelClosed() {
    if (openChannels.decrementAndGet() == 0) {
      spares.clear();
    }
  }
}
