package io.rpcenv.spark;

/**
 * What an rpcenv executor plugin's {@code onTaskFailed} receives when Spark reports a task failure
 * that carries no exception (a killed task, a lost executor, a fetch failure): Spark's own
 * description of the failure as the message. Where Spark has the task's exception, the plugin
 * receives that exception itself instead.
 */
public final class SparkTaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure from Spark's description of it. */
  public SparkTaskFailedException(String sparkReason) {
    super(sparkReason);
  }
}
