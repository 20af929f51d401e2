package io.rpcenv.kryo.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import io.rpcenv.internal.serialize.DeserializationPolicy;

/**
 * Kryo's references (shared and cyclic objects come back as they were sent), counting every object
 * read against {@code spark.rpc.serializer.maxReferences}.
 */
final class CountingReferences extends MapReferenceResolver {
  private final DeserializationPolicy policy;
  private long read;

  CountingReferences(DeserializationPolicy policy) {
    this.policy = policy;
  }

  @SuppressWarnings("rawtypes") // Kryo's own signature
  @Override
  public int nextReadId(Class type) {
    if (++read > policy.maxReferences()) {
      throw new KryoException(policy.tooManyReferences());
    }
    return super.nextReadId(type);
  }

  @Override
  public void reset() {
    read = 0;
    super.reset();
  }
}
