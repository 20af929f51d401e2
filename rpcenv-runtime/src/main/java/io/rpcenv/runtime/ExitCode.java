package io.rpcenv.runtime;

/** How an executor process ends; the CLI exits with {@link #code()}. */
public enum ExitCode {
  /** The driver told it to stop, or it was asked to stop (for instance by Ctrl-C). */
  STOPPED(0, "stopped"),
  /**
   * It could not start: the driver was unreachable, registration was refused, or a plugin failed in
   * init.
   */
  START_FAILED(1, "failed to start"),
  /** The command line was wrong. */
  BAD_ARGUMENTS(2, "bad command-line arguments"),
  /** It lost the driver: the connection closed or heartbeats kept failing. */
  DRIVER_LOST(3, "lost the driver"),
  /** The driver no longer knew it (it had been expired, for instance after a long pause). */
  EXPIRED(4, "expired by the driver");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The process exit code. */
  public int code() {
    return code;
  }

  /** What it means, in words. */
  public String meaning() {
    return meaning;
  }
}
