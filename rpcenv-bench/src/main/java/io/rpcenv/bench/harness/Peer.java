package io.rpcenv.bench.harness;

import java.util.EnumSet;
import java.util.List;

/**
 * A system under test, as the orchestrator launches it.
 *
 * @param label the column title
 * @param factory the {@link PeerFactory} class
 * @param classpath the JVMs' class path
 * @param jvmOptions options on top of the common ones
 * @param workloads the workloads it takes part in
 */
public record Peer(
    String label,
    String factory,
    String classpath,
    List<String> jvmOptions,
    EnumSet<Workload> workloads) {}
