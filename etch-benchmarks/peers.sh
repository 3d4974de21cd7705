#!/usr/bin/env bash
# The peer comparison of issue 7: Etch against H2 MVStore, MapDB, SQLite, Chronicle Map,
# EclipseStore and a raw append+fsync log, one JMH run per workload.
#
#   etch-benchmarks/peers.sh quick [OUT]   # every peer and workload, < 15 min on 2 cores
#   etch-benchmarks/peers.sh full  [OUT]   # longer iterations, 3 forks, reopen of 1M and 10M records
#
# Build first: ./mvnw -q -B -ntp -pl etch-core,etch-benchmarks -am package -DskipTests
# OUT defaults to docs/bench/peers (quick) or docs/bench/peers-full (full). Raw JMH JSON and
# text, reopen.json, then tables.md and the SVG charts (dev.etch.bench.report.Charts) land there.
# Extra JVM options for the JMH launcher (e.g. -Djmh.ignoreLock=true) can be given in JMH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${1:-quick}
J=etch-benchmarks/target/benchmarks.jar
# Chronicle Map (JDK 17+) and EclipseStore (records) need these; the JMH forks get them from @Fork.
FLAGS=(--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  -Dchronicle.analytics.disable=true --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
  -Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true)
case "$PROFILE" in
  quick) OUT=${2:-docs/bench/peers};      JMH=(-f 1 -wi 1 -w 1s -i 2 -r 1s);  REOPEN=(1000000);          RUNS=2 ;;
  full)  OUT=${2:-docs/bench/peers-full}; JMH=(-f 3 -wi 3 -w 2s -i 5 -r 3s);  REOPEN=(1000000 10000000); RUNS=5 ;;
  *) echo "usage: $0 quick|full [OUT]" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
{ date -u; uptime; java -version 2>&1 | head -2; nproc; } > "$OUT/run-info.txt"
jmh() { # name, benchmark regexp
  java ${JMH_JAVA_OPTS:-} -jar "$J" "$2" "${JMH[@]}" -rf json -rff "$OUT/$1.json" 2>&1 | tee "$OUT/$1.txt" | grep -E '^(Peer|Benchmark)|Exception' || true
  uptime >> "$OUT/run-info.txt"
}
jmh read      'dev.etch.bench.peers.PeerReadBenchmark'
jmh mix       'dev.etch.bench.peers.PeerMixBenchmark'
jmh durable   'dev.etch.bench.peers.PeerDurableWriteBenchmark'
jmh os-write  'dev.etch.bench.peers.PeerOsWriteBenchmark'
for n in "${REOPEN[@]}"; do
  suffix=$([ "$n" = 1000000 ] && echo "" || echo "-$n")
  java "${FLAGS[@]}" -cp "$J" dev.etch.bench.peers.PeerReopenMeasurement "$n" "$RUNS" "$OUT/reopen$suffix.json" 2>&1 \
    | grep -v SLF4J | tee "$OUT/reopen$suffix.txt" || echo "reopen $n failed" >&2
done
uptime >> "$OUT/run-info.txt"
java -cp "$J" dev.etch.bench.report.Charts "$OUT"
