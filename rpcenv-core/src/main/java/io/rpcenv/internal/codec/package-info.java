/**
 * Messages to frames and back: the env's serializer, allocator, size limit and ref binding, in one
 * place.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal.codec;
