package io.rpcenv.runtime.internal;

import io.rpcenv.plugin.ExecutorInfo;
import java.time.Instant;

/**
 * An executor the driver removed, and why, as the status page lists it.
 *
 * @param reason what the driver logged: exited, lost its connection, or its heartbeat timed out
 */
public record RemovedExecutor(ExecutorInfo info, String reason, Instant removedAt) {}
