/** The adapter's implementation: not API, may change in any release; the API does not import it. */
package io.rpcenv.spark.internal;
