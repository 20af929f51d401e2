/**
 * The driver/executor runtime: {@link io.rpcenv.runtime.Driver} starts the driver plugins and
 * accepts executors, {@link io.rpcenv.runtime.Executor} joins a driver by URL and runs the executor
 * plugins, {@link io.rpcenv.runtime.LocalExecutors} starts executor processes on this machine. This
 * package is API.
 */
package io.rpcenv.runtime;
