/**
 * Service-provider interface through which {@link io.rpcenv.RpcEnv#create} finds its
 * implementation.
 */
package io.rpcenv.spi;
