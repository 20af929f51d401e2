/**
 * The kinds of message an inbox holds: asks and one-way messages, local or from a connection, each
 * answered or dropped exactly once.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal.message;
