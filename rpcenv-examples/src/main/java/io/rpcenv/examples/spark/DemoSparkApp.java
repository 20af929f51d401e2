package io.rpcenv.examples.spark;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark application that knows nothing of rpcenv: {@code spark/submit-demo.sh} submits it with
 * the rpcenv-spark adapter and the {@link io.rpcenv.examples.plugin.DemoPlugin} in {@code --jars},
 * and the plugin runs on its driver and executors. The executors print the configuration the driver
 * gave them; when the application stops, the driver prints what each executor sent back.
 */
public final class DemoSparkApp {
  private DemoSparkApp() {}

  /** Counts the even numbers below 1000 in {@code args[0]} tasks (default 4). */
  public static void main(String[] args) {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("rpcenv-demo"))) {
      System.out.println("application " + sc.sc().applicationId());
      List<Integer> numbers = IntStream.range(0, 1000).boxed().toList();
      long evens = sc.parallelize(numbers, tasks).filter(i -> i % 2 == 0).count();
      System.out.println("the job counted " + evens + " even numbers");
    }
  }
}
