package io.rpcenv.bench.harness;

import java.util.function.BiConsumer;

/** One system's client side, as the workloads drive it. */
public interface BenchClient extends AutoCloseable {
  /** Asks endpoint {@code endpoint} with {@code payload} and waits for the echo. */
  byte[] ask(int endpoint, byte[] payload) throws Exception;

  /** Asks without waiting; {@code done} runs once with the echo or the failure (on any thread). */
  void askAsync(int endpoint, byte[] payload, BiConsumer<byte[], Throwable> done);

  /**
   * Asks the first endpoint with {@code message} (W7) without waiting; {@code done} runs once with
   * the echo or the failure.
   */
  default void askObjectAsync(Object message, BiConsumer<Object, Throwable> done) {
    throw new UnsupportedOperationException("this system does not send objects");
  }

  /** Sends a one-way message that the server counts. */
  void send(byte[] payload) throws Exception;

  /** How many one-way messages the server has received, after all those sent before this call. */
  long count() throws Exception;

  /**
   * Reads the whole file the server serves as {@link Workloads#FILE_NAME} (F1); returns its length.
   */
  default long fetchFile() throws Exception {
    throw new UnsupportedOperationException("this system has no file server");
  }
}
