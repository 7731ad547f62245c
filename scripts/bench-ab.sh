#!/usr/bin/env bash
# Before/after on a shared machine: starts two 3-member Keel clusters at once, one from build A and
# one from build B (each a directory holding backend/target's keel-backend jar and lib/), and runs
# the same short workload on each in turn, ROUNDS times, so that both see the same machine load.
# Prints one line per run (label, row, req/s, p50, p99) and the load average before and after.
#   scripts/bench-ab.sh JARDIR_A LABEL_A JARDIR_B LABEL_B BENCHDIR [ROUNDS]
set -uo pipefail
jar_a=$1; label_a=$2; jar_b=$3; label_b=$4; bench_dir=$5; rounds=${6:-6}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jvm_flags="$(sed -n 's:.*<keel.jvm.flags>\(.*\)</keel.jvm.flags>.*:\1:p' "$root/pom.xml" | sed -n 1p)"
base=$(mktemp -d /tmp/keel-ab.XXXXXX)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT
declare -A EPS

start_cluster() { # label jardir
  local label=$1 dir=$2 i c p cl="" eps=""
  declare -A C P
  for i in 1 2 3; do C[$i]=$(fp); P[$i]=$(fp); done
  for i in 1 2 3; do
    cl+="${cl:+,}$label-$i=http://127.0.0.1:${P[$i]}"; eps+="${eps:+,}127.0.0.1:${C[$i]}"
  done
  for i in 1 2 3; do
    c=http://127.0.0.1:${C[$i]}; p=http://127.0.0.1:${P[$i]}
    java $jvm_flags -Xmx1g -cp "$(ls "$dir"/keel-backend-*.jar):$dir/lib/*" io.keel.backend.KeelMain \
      --name "$label-$i" --data-dir "$base/$label-$i" --listen-client-urls "$c" --advertise-client-urls "$c" \
      --listen-peer-urls "$p" --initial-advertise-peer-urls "$p" --initial-cluster "$cl" \
      --initial-cluster-state new >"$base/$label-$i.log" 2>&1 &
    pids+=($!)
  done
  EPS[$label]=$eps
}

start_cluster "$label_a" "$jar_a"
start_cluster "$label_b" "$jar_b"
for label in "$label_a" "$label_b"; do
  for _ in $(seq 1 600); do
    etcdctl --endpoints "${EPS[$label]}" --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break
    sleep 0.2
  done
done

bench() { # label args...
  local label=$1; shift
  java -Xmx1g -cp "$(ls "$bench_dir"/keel-bench-*.jar):$bench_dir/lib/*" io.keel.bench.KeelBench \
    --endpoints "${EPS[$label]}" "$@" 2>&1 | tail -n 1
}
row() { # label name json
  python3 -c 'import json,sys; j=json.loads(sys.argv[3]); l=j["latency_ms"]
print("%-10s %-8s %9.1f/s  p50 %8.2f  p99 %8.2f  errors %d" % (sys.argv[1], sys.argv[2], j["per_second"], l["p50"], l["p99"], j["errors"]))' "$@" \
    || echo "$1 $2 failed: $3"
}
put1=(put --total 300 --clients 1 --conns 1 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)
put100=(put --total 3000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)
for label in "$label_a" "$label_b"; do bench "$label" "${put100[@]}" >/dev/null; done # warm-up
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  for label in "$label_a" "$label_b"; do
    row "$label" put-1 "$(bench "$label" "${put1[@]}")"
    row "$label" put-100 "$(bench "$label" "${put100[@]}")"
  done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
