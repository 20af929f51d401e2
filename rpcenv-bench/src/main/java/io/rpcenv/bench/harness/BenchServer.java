package io.rpcenv.bench.harness;

/** One system's server: echo endpoints {@code 0..n-1} and a counter of one-way messages. */
public interface BenchServer extends AutoCloseable {
  /** The port it listens on (127.0.0.1). */
  int port();

  /** A server listening on {@code port} that {@code stop} shuts down. */
  static BenchServer of(int port, AutoCloseable stop) {
    return new BenchServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() throws Exception {
        stop.close();
      }
    };
  }
}
