#!/usr/bin/env bash
# Builds the library and this module, then runs every benchmark and prints the ratio table.
#   dl4j-dropout-benchmarks/run-benchmarks.sh            full run, about 11 minutes on 2 cores
#   dl4j-dropout-benchmarks/run-benchmarks.sh --quick    smoke check, about 1 minute, numbers not meaningful
# Further arguments go to BenchmarkSuite: --out DIR (default dl4j-dropout-benchmarks/target/benchmark-results),
# --only overhead,training,mc,memory[,vlstm][,fit-paired] (vlstm: VariationalLSTM vs DL4J LSTM; fit-paired: paired
# training-step cost of dropout for MLP, CNN, LSTM; both run only when named),
# --mc-iterations N (default 2). Set MVN_OFFLINE=-o to build offline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
mvn -B -q ${MVN_OFFLINE:-} -DskipTests -pl dl4j-dropout-benchmarks -am package
cp="$here/target/classes:$(cat "$here/target/benchmark-classpath.txt")"
out_default=(--out "$here/target/benchmark-results")
exec java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    io.github.dl4jdropout.benchmarks.BenchmarkSuite "${out_default[@]}" "$@"
