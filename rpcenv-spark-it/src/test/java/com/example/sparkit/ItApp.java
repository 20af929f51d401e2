package com.example.sparkit;

import com.example.sparkit.ItMessages.Note;
import com.example.sparkit.ItMessages.Ping;
import com.example.sparkit.ItMessages.Pong;
import com.example.sparkit.ItMessages.TaskCounts;
import io.rpcenv.plugin.DriverContext;
import io.rpcenv.plugin.ExecutorInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The application the Spark tests run with {@link ItPlugin}: waits for the executors' plugins, runs
 * a job (and a failing one, for the task hooks), then talks to every executor from the driver. Run
 * in the test's JVM, or by spark-submit through {@link #main}, which prints each finding as a line
 * starting with "IT ".
 */
public final class ItApp {
  private ItApp() {}

  /**
   * The conversation, on a running context with {@code executors} executors; returns what was seen,
   * one finding per line, sorted by executor.
   */
  public static List<String> converse(SparkContext sc, int executors) throws Exception {
    ItDriverState state = ItDriverState.current();
    state.await(
        s -> s.added().size() >= executors && s.outcomes().size() >= executors,
        Duration.ofSeconds(120),
        executors + " executors' plugins to join");
    JavaSparkContext jsc = new JavaSparkContext(sc);
    long counted = jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 4).count();
    String failedJob;
    try {
      jsc.parallelize(List.of(1), 1).map(ItApp::fail).collect();
      failedJob = "did not fail";
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      if (!(e instanceof SparkException)) {
        throw e;
      }
      failedJob = "failed";
    }
    List<String> lines = new ArrayList<>();
    lines.add("job counted " + counted + ", failing job " + failedJob);
    DriverContext driver = state.driver();
    List<ExecutorInfo> live = driver.executors();
    lines.add("executors " + live.size());
    for (ExecutorInfo e : live) {
      Pong p = driver.askExecutor(e.executorId(), new Ping(7), Pong.class);
      lines.add("pong " + e.executorId() + " from " + p.executorId() + " n=" + p.n());
      lines.add("outcome " + e.executorId() + " " + state.outcomes().get(e.executorId()));
      lines.add("hostname " + e.executorId() + " " + state.hellos().get(e.executorId()).hostname());
    }
    int sent = driver.broadcast(new Note("hello executors"));
    state.await(s -> s.noted().size() >= sent, Duration.ofSeconds(30), sent + " notes");
    lines.add("broadcast to " + sent + ", noted by " + state.noted().size());
    // Task hooks run on task threads after the task: by now every executor has run its hooks.
    long failures = 0;
    for (ExecutorInfo e : live) {
      String counts = driver.askExecutor(e.executorId(), new TaskCounts(), String.class);
      if (counts.contains("IllegalStateException: this task fails on purpose")) {
        failures++;
      }
    }
    lines.add("executors that saw the task's own exception " + failures);
    return lines;
  }

  static Integer fail(Integer x) {
    throw new IllegalStateException("this task fails on purpose");
  }

  /** For spark-submit: {@code ItApp EXECUTORS}. */
  public static void main(String[] args) throws Exception {
    SparkContext sc = new SparkContext(new SparkConf().set("spark.task.maxFailures", "1"));
    try {
      System.out.println("IT application " + sc.applicationId());
      for (String line : converse(sc, Integer.parseInt(args[0]))) {
        System.out.println("IT " + line);
      }
    } finally {
      sc.stop();
    }
    System.out.println("IT driver plugin shut down " + ItDriverState.current().isShutDown());
  }
}
