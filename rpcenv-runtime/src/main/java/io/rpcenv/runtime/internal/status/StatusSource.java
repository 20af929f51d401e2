package io.rpcenv.runtime.internal.status;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.PrometheusFamily;
import io.rpcenv.PrometheusText;
import io.rpcenv.RpcEnv;
import io.rpcenv.runtime.internal.DriverEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the driver's HTTP server shows, read live on each request: the application, the driver's env
 * and plugin metrics, and the executors the driver endpoint knows.
 *
 * @param settings the driver's settings (the server redacts secrets itself)
 * @param plugins the running driver plugins' class names
 */
public record StatusSource(
    String appName,
    String appId,
    Instant startedAt,
    String driverUrl,
    Supplier<Map<String, String>> settings,
    RpcEnv env,
    MetricRegistry pluginMetrics,
    Supplier<List<String>> plugins,
    DriverEndpoint executors) {

  /** The driver's own families now: its env's metrics and its plugins'. */
  List<PrometheusFamily> driverFamilies() {
    return new PrometheusText()
        .add(env.metrics(), Map.of())
        .add(pluginMetrics, Map.of())
        .families();
  }
}
