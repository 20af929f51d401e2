/**
 * Plugin endpoints, contexts and wire messages; not for plugin authors.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv.plugin} instead.
 */
package io.rpcenv.plugin.internal;
