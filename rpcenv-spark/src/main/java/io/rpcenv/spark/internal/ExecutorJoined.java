package io.rpcenv.spark.internal;

import io.rpcenv.RpcEndpointRef;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * An executor part tells the driver part it is up: its rpcenv plugins are initialized and reach the
 * driver's; {@code pluginEndpoint} is where the driver's plugins reach them (null when none has an
 * executor part). Asked, so the executor knows the driver has it.
 */
record ExecutorJoined(String executorId, String host, @Nullable RpcEndpointRef pluginEndpoint)
    implements Serializable {}
