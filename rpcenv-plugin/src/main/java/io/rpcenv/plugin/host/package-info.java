/**
 * For hosts of plugins (the rpcenv runtime, or any program): load the configured plugins, run their
 * driver or executor parts, and connect the two sides.
 */
package io.rpcenv.plugin.host;
