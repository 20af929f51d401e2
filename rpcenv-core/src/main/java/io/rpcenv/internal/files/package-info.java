/**
 * The env's file server and the channels that read from other envs' file servers. Not API: rpcenv's
 * own implementation, which may change in any release.
 */
package io.rpcenv.internal.files;
