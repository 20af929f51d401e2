package io.rpcenv.runtime;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcConfigKeys;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.RpcException;
import io.rpcenv.RpcSecurityManager;
import io.rpcenv.SecurityConfigKeys;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.host.DriverPluginContainer;
import io.rpcenv.plugin.host.ExecutorDirectory;
import io.rpcenv.plugin.host.PluginLoader;
import io.rpcenv.runtime.internal.ApplicationJars;
import io.rpcenv.runtime.internal.DriverEndpoint;
import io.rpcenv.runtime.internal.LiveExecutor;
import io.rpcenv.runtime.internal.Messages;
import io.rpcenv.runtime.internal.SecretSettings;
import io.rpcenv.runtime.internal.SettingChecks;
import io.rpcenv.runtime.internal.status.StatusServer;
import io.rpcenv.runtime.internal.status.StatusSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver: a server-mode env that executors register with, fetch the conf from, and heartbeat to;
 * it hosts the driver plugins. For programs that embed it:
 *
 * <pre>{@code
 * try (Driver driver = Driver.start(new RpcConf().set("spark.plugins", MyPlugin.class.getName()))) {
 *   System.out.println("executors connect to " + driver.url());
 *   driver.awaitExecutors(2, Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * {@link #shutdown()} (or {@code close()}) stops in this order: executors are told to stop and
 * waited for, the plugin endpoint handles what it has already received, the driver plugins shut
 * down in order, and the env closes. Thread-safe.
 */
public final class Driver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Driver.class);

  private final RpcConf conf;
  private final String appId;
  private final RpcEnv env;
  private final MetricRegistry metrics = new MetricRegistry();
  private final DriverEndpoint endpointImpl;
  private final RpcEndpointRef endpoint;
  private final Optional<DriverPluginContainer> plugins;
  private final ScheduledExecutorService expiry;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Object changes = new Object();
  private volatile LocalExecutors localExecutors;
  private final StatusServer status; // null with spark.ui.enabled=false

  /** The secret this driver generated for its local executors, or null. */
  private final String generatedSecret;

  private Driver(RpcConf conf, List<Path> jars) {
    this.conf = conf.copy();
    SettingChecks.checkHeartbeat(this.conf);
    this.appId =
        this.conf.get(RuntimeConfigKeys.APP_ID) != null
            ? this.conf.get(RuntimeConfigKeys.APP_ID)
            : "app-"
                + System.currentTimeMillis()
                + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
    String host = this.conf.get(RuntimeConfigKeys.DRIVER_HOST);
    String bind = this.conf.get(RuntimeConfigKeys.DRIVER_BIND_ADDRESS);
    this.conf.set("spark.executor.id", "driver").set(RuntimeConfigKeys.APP_ID.key(), appId);
    PluginLoader.allowPluginPackages(this.conf); // as on Spark: a plugin's messages beside it
    this.generatedSecret = SettingChecks.secretToGenerate(this.conf);
    if (generatedSecret != null) {
      this.conf.set(SecurityConfigKeys.AUTH_SECRET.key(), generatedSecret);
      LOG.info(
          "Authentication is on and no secret was given: generated one for local executors"
              + " (executors started elsewhere need a secret of their own: set"
              + " spark.authenticate.secret or a secret file)");
    }
    this.env =
        RpcEnv.create(
            RpcEnvConfig.builder("driver")
                .bindAddress(bind != null ? bind : host)
                .advertiseAddress(host)
                .port(this.conf.get(RuntimeConfigKeys.DRIVER_PORT))
                .conf(this.conf)
                .build());
    try {
      if (!jars.isEmpty()) { // served to the executors, which fetch them before their plugins
        List<String> uris = jars.stream().map(env.fileServer()::addJar).toList();
        this.conf.set(ApplicationJars.URIS, String.join(",", uris));
      }
      this.conf
          .set(RuntimeConfigKeys.DRIVER_HOST.key(), env.address().host())
          .set(RuntimeConfigKeys.DRIVER_PORT.key(), String.valueOf(env.address().port()));
      DriverEndpoint[] self = new DriverEndpoint[1];
      ExecutorDirectory directory =
          new ExecutorDirectory() {
            @Override
            public List<ExecutorInfo> executors() {
              return Driver.this.executors();
            }

            @Override
            public RpcEndpointRef pluginEndpoint(String executorId) {
              LiveExecutor l = self[0] == null ? null : self[0].live().get(executorId);
              return l == null ? null : l.plugins();
            }
          };
      // Plugins first: their extra conf must be in the conf before any executor can fetch it.
      this.plugins =
          DriverPluginContainer.start(
              env, this.conf, appId, directory, metrics, PluginLoader.contextLoader(Driver.class));
      this.endpointImpl =
          new DriverEndpoint(
              appId,
              () -> SecretSettings.withoutSecrets(this.conf.getAll()),
              this.conf.get(RpcConfigKeys.NETWORK_TIMEOUT),
              this.conf.get(RuntimeConfigKeys.TIMEOUT_INTERVAL),
              new DriverEndpoint.Listener() {
                @Override
                public void added(ExecutorInfo executor) {
                  plugins.ifPresent(p -> p.executorAdded(executor));
                  changed();
                }

                @Override
                public void removed(ExecutorInfo executor, String reason) {
                  plugins.ifPresent(p -> p.executorRemoved(executor, reason));
                  changed();
                }
              });
      self[0] = endpointImpl;
      this.endpoint = env.setupEndpoint(Messages.DRIVER_ENDPOINT, endpointImpl);
      this.status =
          this.conf.get(RuntimeConfigKeys.UI_ENABLED)
              ? StatusServer.start(
                  this.conf,
                  bind != null ? bind : host,
                  env.address().host(),
                  new StatusSource(
                      this.conf.get(RuntimeConfigKeys.APP_NAME),
                      appId,
                      Instant.now(),
                      url(),
                      this.conf::getAll,
                      env,
                      metrics,
                      this::pluginNames,
                      endpointImpl),
                  secretForLocalExecutors())
              : null;
      this.expiry =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "rpcenv-driver-expiry");
                t.setDaemon(true);
                return t;
              });
      long every = this.conf.get(RuntimeConfigKeys.TIMEOUT_INTERVAL).toMillis();
      // A fixed delay: checks missed during a pause are not made up in a burst on resuming.
      expiry.scheduleWithFixedDelay(
          () -> endpoint.send(endpointImpl.expiryCheck()), every, every, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
    // The status page's address is printed by the CLI and given by statusPageUrl(), not logged:
    // with authentication on it carries the page's token.
    LOG.info("Driver of {} listening at {}", appId, url());
  }

  /**
   * Starts a driver: binds {@code spark.driver.bindAddress} (default {@code spark.driver.host},
   * default 127.0.0.1) on {@code spark.driver.port} (default 0), starts the driver plugins named by
   * {@code spark.plugins}, and then accepts executors. Throws {@link RpcException} (for instance
   * {@link io.rpcenv.plugin.PluginException}) if it cannot start.
   */
  public static Driver start(RpcConf conf) {
    // The env, its threads and the plugins see spark.jars: plugins and their messages load from it.
    List<Path> jars = ApplicationJars.configured(conf);
    return ApplicationJars.withLoader(jars, Driver.class, () -> new Driver(conf, jars));
  }

  /** The shared secret local executors must use, or null when authentication is off. */
  String secretForLocalExecutors() {
    if (!conf.get(SecurityConfigKeys.AUTHENTICATE)) {
      return null;
    }
    return RpcSecurityManager.resolveSecret(conf);
  }

  /** The application id. */
  public String appId() {
    return appId;
  }

  /** Where the driver listens. */
  public RpcAddress address() {
    return env.address();
  }

  /** The URL executors connect to: {@code spark://driver@host:port}. */
  public String url() {
    return "spark://" + Messages.DRIVER_ENDPOINT + "@" + env.address().hostPort();
  }

  /** The driver's settings (a copy), including what plugins added. */
  public RpcConf conf() {
    return conf.copy();
  }

  /** The live executors, oldest first. */
  public List<ExecutorInfo> executors() {
    return endpointImpl == null
        ? List.of()
        : endpointImpl.live().values().stream()
            .map(LiveExecutor::info)
            .sorted(Comparator.comparing(ExecutorInfo::registeredAt))
            .toList();
  }

  /**
   * Where the status page is ({@code http://host:port/}, with {@code ?token=...} when
   * authentication is on), or empty with {@code spark.ui.enabled=false}.
   */
  public Optional<String> statusPageUrl() {
    return Optional.ofNullable(status).map(StatusServer::url);
  }

  /** The running driver plugins' class names. */
  public List<String> pluginNames() {
    return plugins.map(DriverPluginContainer::pluginNames).orElse(List.of());
  }

  /** Plugin metrics, under {@code plugin.<class name>}. */
  public MetricRegistry metrics() {
    return metrics;
  }

  /** The driver's env, for programs that add endpoints of their own. */
  public RpcEnv rpcEnv() {
    return env;
  }

  /**
   * Waits until at least {@code count} executors are live; returns whether that happened in time.
   */
  public boolean awaitExecutors(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changes) {
      while (executors().size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(changes, left);
      }
    }
    return true;
  }

  private void changed() {
    synchronized (changes) {
      changes.notifyAll();
    }
  }

  /**
   * Starts {@code count} executors as child processes of this one (same Java and class path), with
   * ids {@code 1..count}; they get this driver's settings through their environment, never on the
   * command line. Their output goes to this process's output.
   */
  public synchronized LocalExecutors startLocalExecutors(int count) {
    if (localExecutors != null) {
      throw new IllegalStateException("local executors were already started");
    }
    localExecutors = LocalExecutors.start(this, count);
    return localExecutors;
  }

  /**
   * Stops the executors, then the plugins, then the env; returns when all is stopped. Idempotent.
   */
  public void shutdown() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    expiry.shutdownNow();
    Duration wait = conf.get(RuntimeConfigKeys.STOP_EXECUTORS_TIMEOUT);
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      endpoint.send(endpointImpl.stopOrder());
      synchronized (changes) {
        while (!executors().isEmpty() && System.nanoTime() < deadline) {
          TimeUnit.NANOSECONDS.timedWait(changes, deadline - System.nanoTime());
        }
      }
      if (!executors().isEmpty()) {
        LOG.warn(
            "Executors {} did not exit within {} ms (spark.driver.executorStopTimeout); stopping"
                + " anyway",
            executors().stream().map(ExecutorInfo::executorId).toList(),
            wait.toMillis());
      }
      LocalExecutors local = localExecutors;
      if (local != null) {
        local.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RpcException e) {
      LOG.warn("Could not tell executors to stop: {}", e.getMessage());
    }
    if (status != null) {
      status.close();
    }
    plugins.ifPresent(DriverPluginContainer::shutdown);
    env.close();
    LOG.info("Driver of {} stopped", appId);
  }

  @Override
  public void close() {
    shutdown();
  }
}
