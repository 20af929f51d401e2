/**
 * Serialization of message bodies: tagged fast paths, records, Java serialization behind the
 * deserialization filter, and refs inside messages.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal.serialize;
