/**
 * Fixtures for rpcenv's own tests: child JVMs, a fault-injecting proxy, network namespaces,
 * certificates, leak detection.
 */
package io.rpcenv.testkit;
