#!/usr/bin/env bash
# Before/after on a shared machine: starts two 3-member Keel clusters at once, one from build A and
# one from build B (each a directory holding backend/target's keel-backend jar and lib/), and runs
# the same short workload on each in turn, ROUNDS times, so that both see the same machine load.
# Prints one line per run (label, row, req/s, p50, p99) and the load average before and after.
# ROWS (environment) picks the rows, in order: put-1 put-100 (the default), range-l, range-s (the
# side-by-side script's 100-client ranges) and watch (its fan-out to 1,000 watchers: events/s).
# MEMBER_FLAGS_A / MEMBER_FLAGS_B (environment) replace the members' JIT flags (the root pom's
# keel.member.jvm.flags, or MEMBER_FLAGS as in the other scripts) for one build, e.g. MEMBER_FLAGS_A="-XX:TieredStopAtLevel=1" for C1 only.
# WARM (environment, default 1) is how many unrecorded runs of every row each cluster gets first.
# PUT1_TOTAL (environment, default 300) is the put-1 row's requests per run. Against etcd use the
# side-by-side's 2,000 and WARM=10 or more: 300-request runs and few warm-ups leave Keel's put path
# to the JIT still (pass 20: behind in 10 of 10 rounds that way, ahead in 8 of 10 warmed).
# A JARDIR of "etcd" starts a 3-member etcd (Debian's etcd-server) instead, for many alternating
# rounds of a few rows against etcd. At the end: per row and label the median and best req/s, the
# median p99, and in how many rounds A was ahead of B.
#   [ROWS="range-l watch"] scripts/bench-ab.sh JARDIR_A LABEL_A JARDIR_B LABEL_B BENCHDIR [ROUNDS]
set -uo pipefail
jar_a=$1; label_a=$2; jar_b=$3; label_b=$4; bench_dir=$5; rounds=${6:-6}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=$(mktemp -d /tmp/keel-ab.XXXXXX)
source "$root/scripts/lib/labelled-clusters.sh"
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT

sys_of() { [[ $1 == etcd ]] && echo etcd || echo keel; }
member_flags="${MEMBER_FLAGS_A-$member_flags}" start_cluster "$label_a" "$(sys_of "$jar_a")" "$jar_a"
member_flags="${MEMBER_FLAGS_B-$member_flags}" start_cluster "$label_b" "$(sys_of "$jar_b")" "$jar_b"
wait_until_ready
row() { # label name json
  python3 -c 'import json,sys; j=json.loads(sys.argv[3]); l=j["latency_ms"]
print("%-10s %-8s %9.1f/s  p50 %8.2f  p99 %8.2f  errors %d" % (sys.argv[1], sys.argv[2], j["per_second"], l["p50"], l["p99"], j["errors"]))' "$@" \
    || echo "$1 $2 failed: $3"
}
put1=(put --total "${PUT1_TOTAL:-300}" --clients 1 --conns 1 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)
put100=(put --total 3000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)
rangel=(range foo --consistency l --total 20000 --clients 100 --conns 10)
ranges=(range foo --consistency s --total 20000 --clients 100 --conns 10)
watch=(watch --streams 10 --watch-per-stream 100 --put-total 1000 --clients 10 --conns 10 --timeout 3m)
rows=(${ROWS:-put-1 put-100})
args_of() { case $1 in put-1) echo put1;; put-100) echo put100;; range-l) echo rangel;; range-s) echo ranges;;
  watch) echo watch;; *) echo "unknown row $1" >&2; exit 2;; esac; }
for label in "$label_a" "$label_b"; do etcdctl --endpoints "${EPS[$label]}" put foo bar >/dev/null; done
for label in "$label_a" "$label_b"; do # warm-up: every chosen row WARM times (C2 compiles meanwhile)
  for _ in $(seq 1 "${WARM:-1}"); do
    for name in "${rows[@]}"; do declare -n a="$(args_of "$name")"; b "$label" "${a[@]}" >/dev/null; unset -n a; done
  done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  # Alternate which build goes first, so neither always runs right after the other's row.
  if (( r % 2 == 1 )); then order=("$label_a" "$label_b"); else order=("$label_b" "$label_a"); fi
  for name in "${rows[@]}"; do
    declare -n a="$(args_of "$name")"
    for label in "${order[@]}"; do row "$label" "$name" "$(b "$label" "${a[@]}")" | tee -a "$base/rows.txt"; done
    unset -n a
  done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$base/rows.txt" "$label_a" "$label_b" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)  # (label, row) -> [(req/s, p99)] in round order
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 7 and f[2].endswith("/s"):
        runs[(f[0], f[1])].append((float(f[2][:-2]), float(f[6])))
a, b = sys.argv[2], sys.argv[3]
for row in dict.fromkeys(r for _, r in runs):
    for label in (a, b):
        v = runs[(label, row)]
        if v:
            print("%-10s %-8s median %9.1f/s  best %9.1f/s  median p99 %8.2f  (%d runs)" % (
                label, row, statistics.median(x for x, _ in v), max(x for x, _ in v), statistics.median(p for _, p in v), len(v)))
    pairs = list(zip(runs[(a, row)], runs[(b, row)]))
    print("%-8s %s ahead of %s in %d of %d rounds" % (row, a, b, sum(1 for x, y in pairs if x[0] > y[0]), len(pairs)))
PY
