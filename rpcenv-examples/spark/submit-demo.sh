#!/usr/bin/env bash
# Runs the demo plugin inside a Spark application: spark-submit with the rpcenv-spark adapter and
# the plugin in --jars, nothing installed on the cluster.
#
#   SPARK_HOME=/opt/spark rpcenv-examples/spark/submit-demo.sh [spark-submit options...]
#
# Options go to spark-submit as they are (--master spark://host:7077, --conf k=v, ...); without
# --master the application runs in local[2]. Build the jars first:
#   mvn -B install -DskipTests -pl rpcenv-spark,rpcenv-examples -am
# RPCENV_SPARK_JAR and RPCENV_EXAMPLES_JAR point at other copies of the two jars.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=0.1.0-SNAPSHOT
adapter=${RPCENV_SPARK_JAR:-$root/rpcenv-spark/target/rpcenv-spark-$version.jar}
examples=${RPCENV_EXAMPLES_JAR:-$root/rpcenv-examples/target/rpcenv-examples-$version.jar}

if [[ -z ${SPARK_HOME:-} || ! -x $SPARK_HOME/bin/spark-submit ]]; then
  echo "submit-demo.sh: set SPARK_HOME to a Spark 4.0 installation (one with bin/spark-submit)" >&2
  exit 2
fi
for jar in "$adapter" "$examples"; do
  if [[ ! -f $jar ]]; then
    echo "submit-demo.sh: $jar is missing: build it with" \
      "mvn -B install -DskipTests -pl rpcenv-spark,rpcenv-examples -am" >&2
    exit 2
  fi
done

master=(--master 'local[2]')
for arg in "$@"; do
  if [[ $arg == --master || $arg == --master=* ]]; then
    master=()
  fi
done

exec "$SPARK_HOME/bin/spark-submit" "${master[@]}" "$@" \
  --jars "$adapter,$examples" \
  --conf spark.plugins=io.rpcenv.spark.RpcenvSparkPlugin \
  --conf spark.rpcenv.plugins=io.rpcenv.examples.plugin.DemoPlugin \
  --class io.rpcenv.examples.spark.DemoSparkApp \
  "$examples"
