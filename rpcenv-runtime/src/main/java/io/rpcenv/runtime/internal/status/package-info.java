/**
 * The driver's HTTP server: its status page, {@code /metrics} and {@code /api/v1}. Not API: the
 * runtime's own implementation, which may change in any release.
 */
package io.rpcenv.runtime.internal.status;
