package io.rpcenv.plugin.internal;

import io.rpcenv.plugin.ExecutorInfo;

/**
 * An executor came or went; delivered to driver plugins on their thread.
 *
 * @param executor the executor
 * @param removedReason null when it was added, else why it was removed
 */
public record ExecutorEvent(ExecutorInfo executor, String removedReason) {}
