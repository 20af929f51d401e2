package io.rpcenv.bench.harness;

/** Makes servers and clients of one system. */
public interface PeerFactory {
  /** The name in tables, e.g. "rpcenv". */
  String name();

  /** Starts a server with {@code endpoints} echo endpoints on 127.0.0.1 and an ephemeral port. */
  BenchServer server(int endpoints) throws Exception;

  /** A client connected to the server at {@code port}, ready to ask its endpoints. */
  BenchClient client(int port, int endpoints) throws Exception;
}
