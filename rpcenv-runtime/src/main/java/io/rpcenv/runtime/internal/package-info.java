/**
 * The driver's and executors' own endpoints and the messages between them.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv.runtime} instead.
 */
package io.rpcenv.runtime.internal;
