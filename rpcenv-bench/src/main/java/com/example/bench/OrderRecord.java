package com.example.bench;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * W7's realistic message as a record: an id, a timestamp, a count, 20 short tags, 20 named counters
 * and a 256-byte payload (about 1 KB). In a package of its own, so that rpcenv admits it only
 * through {@code spark.rpc.serializer.allowList}, as a user's message would be.
 */
public record OrderRecord(
    String id,
    long timestampMillis,
    int quantity,
    List<String> tags,
    Map<String, Long> counters,
    byte[] payload)
    implements Serializable {}
