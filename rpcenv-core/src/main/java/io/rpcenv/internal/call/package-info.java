/**
 * Asks in flight on the asking side ({@code PendingAsk}) and how failures reported by the receiver
 * become the exceptions the asker sees.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal.call;
