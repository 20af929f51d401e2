/**
 * rpcenv's Kryo serializer ({@code spark.rpc.serializer=kryo}). Not API: found by rpcenv-core
 * through {@link io.rpcenv.internal.serialize.SerializerProvider}; nothing here is for users to
 * call.
 */
package io.rpcenv.kryo.internal;
