package io.rpcenv.kryo.internal;

import io.rpcenv.internal.serialize.DeserializationPolicy;
import io.rpcenv.internal.serialize.JavaMessageSerializer;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.SerializerProvider;

/** {@code spark.rpc.serializer=kryo}. */
public final class KryoProvider implements SerializerProvider {
  @Override
  public String name() {
    return "kryo";
  }

  @Override
  public MessageSerializer create(
      ClassLoader loader, DeserializationPolicy policy, JavaMessageSerializer java) {
    return new KryoMessageSerializer(loader, policy, java);
  }
}
