package io.rpcenv.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcConfigKeys;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.RpcSecurityManager;
import io.rpcenv.RpcTimeout;
import io.rpcenv.SecurityConfigKeys;
import io.rpcenv.internal.serialize.DeserializationPolicy;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.Serializers;
import io.rpcenv.internal.transport.IoTransport;
import io.rpcenv.internal.transport.TlsContexts;
import io.rpcenv.internal.transport.TransportSettings;
import java.time.Duration;
import java.util.Arrays;

/**
 * Everything an env reads from its conf, parsed and checked before the env makes any thread or
 * buffer, so that a wrong setting fails with its name and leaves nothing behind.
 */
final class RpcSettingsCheck {
  final RpcTimeout askTimeout;
  final RpcTimeout lookupTimeout;
  final boolean serializeLocal;
  final int dispatcherThreads;
  final Duration stallWarning;
  final Duration endpointStopTimeout;
  final int ioThreads;
  final IoTransport io;
  final ByteBufAllocator alloc;
  final DeserializationPolicy deserialization;
  final MessageSerializer serializer;
  final TransportSettings transport;

  RpcSettingsCheck(RpcConf conf, RpcEnvConfig config, String name) {
    askTimeout = RpcTimeout.askTimeout(conf);
    lookupTimeout = RpcTimeout.lookupTimeout(conf);
    serializeLocal = conf.get(RpcConfigKeys.SERIALIZE_LOCAL_MESSAGES);
    int cores =
        config.numUsableCores() > 0
            ? config.numUsableCores()
            : Runtime.getRuntime().availableProcessors();
    dispatcherThreads = dispatcherThreads(conf, cores);
    stallWarning = conf.get(RpcConfigKeys.STALL_WARNING);
    endpointStopTimeout = conf.get(RpcConfigKeys.ENDPOINT_STOP_TIMEOUT);
    Integer configuredIo = conf.get(RpcConfigKeys.IO_THREADS);
    ioThreads = configuredIo != null ? configuredIo : Math.min(cores, 8);
    io = IoTransport.select(conf.get(RpcConfigKeys.IO_MODE));
    alloc =
        conf.get(RpcConfigKeys.PREFER_DIRECT_BUFS)
            ? ByteBufAllocator.DEFAULT
            : new PooledByteBufAllocator(false);
    long maxSize = conf.get(RpcConfigKeys.MESSAGE_MAX_SIZE);
    Integer maxArray = conf.get(SecurityConfigKeys.SERIALIZER_MAX_ARRAY_LENGTH);
    deserialization =
        new DeserializationPolicy(
            Arrays.asList(conf.get(SecurityConfigKeys.SERIALIZER_ALLOW_LIST).split(",")),
            conf.get(SecurityConfigKeys.SERIALIZER_MAX_DEPTH),
            conf.get(SecurityConfigKeys.SERIALIZER_MAX_REFERENCES),
            maxArray != null ? maxArray : maxSize,
            maxSize + 1024);
    ClassLoader loader =
        Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader()
            : RpcSettingsCheck.class.getClassLoader();
    serializer =
        Serializers.create(conf.get(SecurityConfigKeys.SERIALIZER), loader, deserialization);
    long maxOutbox = conf.get(RpcConfigKeys.OUTBOX_MAX_BYTES);
    if (maxOutbox < maxSize) {
      throw new IllegalArgumentException(
          "spark.rpc.outbox.maxBytes ("
              + maxOutbox
              + " bytes) is smaller than "
              + "spark.rpc.message.maxSize ("
              + maxSize
              + " bytes): a message of the largest allowed size could never "
              + "be sent");
    }
    Duration handshake = conf.get(RpcConfigKeys.HANDSHAKE_TIMEOUT);
    RpcSecurityManager security = config.securityManager();
    TlsContexts tls =
        security.isTlsEnabled()
            ? TlsContexts.build(
                security.tls(),
                !config.clientMode(),
                name,
                handshake,
                conf.get(SecurityConfigKeys.SSL_ENGINE))
            : null;
    transport =
        new TransportSettings(
            name,
            maxSize,
            handshake,
            conf.get(RpcConfigKeys.CONNECTION_CREATION_TIMEOUT),
            conf.get(RpcConfigKeys.NUM_RETRIES),
            conf.get(RpcConfigKeys.RETRY_WAIT),
            conf.get(RpcConfigKeys.BACKLOG),
            (int) Math.min(Integer.MAX_VALUE, conf.get(RpcConfigKeys.RECEIVE_BUFFER)),
            (int) Math.min(Integer.MAX_VALUE, conf.get(RpcConfigKeys.SEND_BUFFER)),
            security.authenticationKey(),
            tls,
            conf.get(RpcConfigKeys.MAX_HANDSHAKING_CONNECTIONS),
            maxOutbox,
            conf.get(RpcConfigKeys.MAX_OUTSTANDING_ASKS),
            conf.get(RpcConfigKeys.MAX_INFLIGHT_MESSAGES),
            conf.get(RpcConfigKeys.MAX_INFLIGHT_BYTES),
            conf.get(RpcConfigKeys.CONNECTION_TIMEOUT),
            conf.get(RpcConfigKeys.KEEPALIVE),
            frameBudget(conf),
            conf.get(RpcConfigKeys.FRAME_TIMEOUT));
  }

  /** spark.rpc.io.frameBudget, or a quarter of the heap the JVM may grow to. */
  private static long frameBudget(RpcConf conf) {
    Long set = conf.get(RpcConfigKeys.FRAME_BUDGET);
    return set != null ? set : Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  private static int dispatcherThreads(RpcConf conf, int cores) {
    String executorId = conf.get(RpcConfigKeys.EXECUTOR_ID);
    Integer role =
        executorId == null
            ? null
            : conf.get(
                "driver".equals(executorId)
                    ? RpcConfigKeys.DRIVER_DISPATCHER_THREADS
                    : RpcConfigKeys.EXECUTOR_DISPATCHER_THREADS);
    Integer general = conf.get(RpcConfigKeys.DISPATCHER_THREADS);
    return role != null ? role : general != null ? general : Math.max(2, cores);
  }
}
