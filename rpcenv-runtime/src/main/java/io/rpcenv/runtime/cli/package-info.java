/**
 * The {@code rpcenv} command line: driver, executor, demo and tls-keygen.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv.runtime} instead.
 */
package io.rpcenv.runtime.cli;
