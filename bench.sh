#!/usr/bin/env bash
# Benchmarks rpcenv against Apache Spark's RpcEnv, gRPC-java and raw Netty (each client and server
# in its own JVM on 127.0.0.1), prints a markdown table and writes it into docs/BENCHMARKS.md.
#   ./bench.sh                                    full run: 3 interleaved rounds of every workload and system, charts
#   ./bench.sh --rounds 1 --workloads W1,W3 --systems rpcenv,spark --measure-ms 2000
#   ./bench.sh jmh [JMH options]                  the JMH micro-benchmarks of the hot path
#   ./bench.sh status-page [rate] [rounds] [ms]   RPC asks with and without HTTP load on the status page
#   ./bench.sh cpu-per-ask [rpcenv|rpcenv-inline|netty] [clients] [s] [rounds]   CPU and context switches per ask
#   ./bench.sh --compare ../base --systems rpcenv,base --workloads W1   A/B against another checkout (built there
#                                                 with mvn -B -Pbench package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
echo "building (mvn -Pbench install -DskipTests)..." >&2
mvn -B -q -Dstyle.color=never -Pbench -DskipTests install 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
cp="$(cat rpcenv-bench/target/bench.classpath):rpcenv-bench/target/classes"
if [ "${1:-}" = "status-page" ]; then
  shift
  exec java -cp "$cp" io.rpcenv.bench.StatusPageLoad "$@"
fi
if [ "${1:-}" = "cpu-per-ask" ]; then
  shift
  exec java -Xms1g -Xmx1g -cp "$cp" io.rpcenv.bench.CpuPerAsk "$@"
fi
if [ "${1:-}" = "jmh" ]; then
  shift
  exec java -cp "$cp" org.openjdk.jmh.Main "$@"
fi
out=()
# A partial run (any option given) prints its table but leaves docs/BENCHMARKS.md alone unless --out is given.
if [ $# -eq 0 ]; then out=(--out docs/BENCHMARKS.md); fi
exec java -cp "$cp" io.rpcenv.bench.BenchMain \
  --bench-classpath rpcenv-bench/target/bench.classpath --bench-classes "$root/rpcenv-bench/target/classes" \
  --spark-classpath rpcenv-bench-spark/target/bench.classpath --spark-classes "$root/rpcenv-bench-spark/target/classes" \
  "${out[@]}" "$@"
