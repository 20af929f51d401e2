/**
 * Endpoint threads: one inbox per endpoint, the shared and isolated pools that drain them, network
 * events, the threads an env owns and the watch that reports endpoint code stuck in one message.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal.dispatch;
