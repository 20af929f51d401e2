/**
 * The plugin API: an {@link io.rpcenv.plugin.RpcPlugin} has a {@link io.rpcenv.plugin.DriverPlugin}
 * and an {@link io.rpcenv.plugin.ExecutorPlugin}, which talk through their {@link
 * io.rpcenv.plugin.PluginContext} (executor to driver) and {@link io.rpcenv.plugin.DriverContext}
 * (driver to executors).
 */
package io.rpcenv.plugin;
