package io.rpcenv.plugin;

import java.io.Serializable;
import java.time.Instant;

/**
 * A registered executor.
 *
 * @param executorId its id, unique among live executors
 * @param host the host it reports
 * @param cores the cores it offers
 * @param registeredAt when it registered with the driver
 */
public record ExecutorInfo(String executorId, String host, int cores, Instant registeredAt)
    implements Serializable {}
