/** Plugin endpoints, contexts and wire messages; not for plugin authors. */
package io.rpcenv.plugin.internal;
