package io.rpcenv.runtime;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.PrometheusText;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.RpcException;
import io.rpcenv.RpcTimeout;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.host.DriverLink;
import io.rpcenv.plugin.host.ExecutorPluginContainer;
import io.rpcenv.plugin.host.PluginLoader;
import io.rpcenv.runtime.internal.ApplicationJars;
import io.rpcenv.runtime.internal.ExecutorEndpoint;
import io.rpcenv.runtime.internal.Messages;
import io.rpcenv.runtime.internal.SettingChecks;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor: a client-mode env that connects to a driver, takes the driver's conf, runs the
 * executor plugins, registers, heartbeats, and stops when the driver says so or goes away. The exit
 * code it ends with is in {@link #exit()}.
 */
public final class Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  /** How long a stopping executor waits for the driver to take in that it exits. */
  private static final RpcTimeout EXITING_TIMEOUT =
      new RpcTimeout(Duration.ofSeconds(2), "the executor's exit notice (fixed)");

  private final String executorId;
  private final RpcEnv env;
  private final RpcEndpointRef driver;
  private final Optional<ExecutorPluginContainer> plugins;
  private final ScheduledExecutorService heartbeats;
  private final CompletableFuture<ExitCode> exit = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger failedHeartbeats = new AtomicInteger();

  /** The last heartbeat sent, until it is answered (a stop waits for it before the env closes). */
  private volatile CompletableFuture<Boolean> lastHeartbeat =
      CompletableFuture.completedFuture(true);

  private final MetricRegistry pluginMetrics = new MetricRegistry();

  private Executor(RpcConf conf, String driverUrl, String executorId) {
    this.executorId = executorId;
    RpcEndpointAddress driverAddress = RpcEndpointAddress.parse(driverUrl);
    SettingChecks.checkHeartbeat(conf);
    // Made before the env (its thread starts with its first task): once registered, the driver may
    // tell this executor to stop at any moment, and the stop must find everything it shuts down.
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rpcenv-executor-" + executorId + "-heartbeat");
              t.setDaemon(true);
              return t;
            });
    this.env =
        RpcEnv.create(
            RpcEnvConfig.builder("executor-" + executorId).clientMode(true).conf(conf).build());
    try {
      this.driver = env.setupEndpointRefByURI(driverUrl);
      String host =
          conf.get(RuntimeConfigKeys.EXECUTOR_HOST) != null
              ? conf.get(RuntimeConfigKeys.EXECUTOR_HOST)
              : localHostName();
      Integer configuredCores = conf.get(RuntimeConfigKeys.EXECUTOR_CORES);
      int cores =
          configuredCores != null ? configuredCores : Runtime.getRuntime().availableProcessors();
      RpcEndpointRef self =
          env.setupEndpoint(
              Messages.EXECUTOR_ENDPOINT,
              new ExecutorEndpoint(driverAddress.address(), this::stop));
      this.plugins =
          ExecutorPluginContainer.start(
              env,
              conf,
              executorId,
              host,
              DriverLink.lookup(env, driverAddress.address()),
              pluginMetrics,
              PluginLoader.contextLoader(Executor.class));
      driver.askSync(
          new Messages.RegisterExecutor(
              new ExecutorInfo(executorId, host, cores, Instant.now()),
              self,
              plugins.map(ExecutorPluginContainer::endpoint).orElse(null)));
      Duration every = conf.get(RuntimeConfigKeys.HEARTBEAT_INTERVAL);
      int maxFailures = conf.get(RuntimeConfigKeys.HEARTBEAT_MAX_FAILURES);
      try {
        // The first at once, so the driver shows this executor's metrics from the start.
        heartbeats.scheduleAtFixedRate(
            () -> heartbeat(every, maxFailures), 0, every.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stoppedAlready) {
        // the driver told us to stop right after registering: the stop is under way
      }
    } catch (RuntimeException e) {
      heartbeats.shutdownNow();
      env.close();
      throw e;
    }
    LOG.info("Executor {} registered with the driver at {}", executorId, driverAddress.address());
  }

  /**
   * Starts an executor and returns once it is registered with the driver at {@code driverUrl}
   * ({@code spark://driver@host:port}). Throws {@link RpcException} (for instance {@link
   * io.rpcenv.plugin.PluginException}) if it cannot start.
   *
   * @param conf this executor's own settings, applied over the driver's
   */
  public static Executor start(RpcConf conf, String driverUrl, String executorId) {
    // The driver's settings, with this executor's own on top, are what its env runs with: its
    // timeouts, keepalive and limits. They and the application's jars are fetched first over a
    // short-lived env of the local settings, as Spark's executors do; the env, its threads and the
    // plugins then load classes through those jars.
    List<Path> jars = new ArrayList<>();
    RpcConf fetched = fetchConf(conf, driverUrl, executorId, jars);
    return ApplicationJars.withLoader(
        jars, Executor.class, () -> new Executor(fetched, driverUrl, executorId));
  }

  private static RpcConf fetchConf(
      RpcConf localConf, String driverUrl, String executorId, List<Path> jars) {
    RpcEnv fetching =
        RpcEnv.create(
            RpcEnvConfig.builder("executor-" + executorId + "-conf")
                .clientMode(true)
                .conf(localConf)
                .build());
    try {
      Messages.AppConf app =
          fetching.setupEndpointRefByURI(driverUrl).askSync(new Messages.FetchConf(executorId));
      RpcConf conf =
          RpcConf.of(app.settings())
              .setAll(localConf.getAll())
              .set("spark.executor.id", executorId);
      PluginLoader.allowPluginPackages(conf); // as on Spark: a plugin's messages beside it
      jars.addAll(ApplicationJars.fetch(fetching, conf));
      return conf;
    } catch (IOException e) {
      throw new RpcException(
          "Executor "
              + executorId
              + " cannot fetch the application's jars (spark.jars) from the driver: "
              + e.getMessage(),
          e);
    } finally {
      fetching.close();
    }
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  /** This executor's id. */
  public String executorId() {
    return executorId;
  }

  /** Completes with the exit code once the executor has stopped completely. */
  public CompletableFuture<ExitCode> exit() {
    return exit;
  }

  private void heartbeat(Duration timeout, int maxFailures) {
    if (stopping.get()) {
      return;
    }
    CompletableFuture<Boolean> answer =
        driver.ask(
            new Messages.Heartbeat(
                executorId,
                new PrometheusText()
                    .add(env.metrics(), Map.of())
                    .add(pluginMetrics, Map.of())
                    .families()),
            new RpcTimeout(timeout, RuntimeConfigKeys.HEARTBEAT_INTERVAL.key()));
    lastHeartbeat = answer;
    answer.whenComplete(
        (known, error) -> {
          if (stopping.get()) {
            return; // the env is closing: a heartbeat cut off by it is no news
          }
          if (error == null) {
            failedHeartbeats.set(0);
            if (!known) {
              stop(ExitCode.EXPIRED, "the driver no longer knows this executor");
            }
          } else if (failedHeartbeats.incrementAndGet() >= maxFailures) {
            stop(
                ExitCode.DRIVER_LOST,
                maxFailures
                    + " heartbeats in a row failed (last: "
                    + error.getMessage()
                    + ", spark.executor.heartbeat.maxFailures)");
          } else {
            LOG.warn(
                "Heartbeat to the driver failed ({} in a row): {}",
                failedHeartbeats.get(),
                error.getMessage());
          }
        });
  }

  /**
   * Waits (for at most the exit notice's timeout) until no heartbeat is being sent and the last one
   * sent is answered: one the closing env cut off would be reported as a lost ask on a quiet stop.
   */
  private void awaitLastHeartbeat() throws InterruptedException {
    long wait = EXITING_TIMEOUT.duration().toNanos();
    long deadline = System.nanoTime() + wait;
    if (heartbeats.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
      try {
        lastHeartbeat.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // its failure is no news to an executor that stops
      }
    }
  }

  /**
   * Stops the executor: plugins shut down (and may still send to the driver); unless the driver is
   * lost, a heartbeat under way is answered and the driver is told that the executor exits; the env
   * closes, and {@link #exit()} completes with {@code code}. Returns at once; idempotent (the first
   * reason wins).
   */
  public void stop(ExitCode code, String reason) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              if (code == ExitCode.STOPPED) {
                LOG.info("Executor {} stopping: {}", executorId, reason);
              } else {
                LOG.warn("Executor {} stopping ({}): {}", executorId, code.meaning(), reason);
              }
              heartbeats.shutdownNow();
              if (plugins != null) { // null when the stop comes during start-up
                plugins.ifPresent(ExecutorPluginContainer::shutdown);
              }
              if (code != ExitCode.DRIVER_LOST && driver != null) {
                try {
                  awaitLastHeartbeat();
                  // Waited for (briefly), so the driver has taken it in before the connection
                  // closes.
                  driver
                      .ask(new Messages.ExecutorExiting(executorId, reason), EXITING_TIMEOUT)
                      .get();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RpcException | ExecutionException e) {
                  LOG.debug(
                      "Could not tell the driver that executor {} exits: {}",
                      executorId,
                      e.getMessage());
                }
              }
              env.close();
              exit.complete(code);
            },
            "rpcenv-executor-" + executorId + "-stop");
    t.start();
  }
}
