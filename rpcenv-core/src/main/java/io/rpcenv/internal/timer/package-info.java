/**
 * Ask timeouts and periodic checks for every env of the process on one thread: each env has its own
 * wheel ({@code EnvTimer}), which one shared ticker turns.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal.timer;
