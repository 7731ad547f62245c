#!/usr/bin/env bash
# Where a put with one client spends its time, step by step, on a 3-member Keel cluster beside a
# 3-member etcd: builds the server and the load tool from the committed HEAD with
# scripts/put-steps/instrument.patch applied (a copy of the tree under a temporary directory; the
# working tree is not touched), starts both clusters, warms each up (WARM put-1 runs of 1,000,
# default 5: a fresh JVM's first thousands of puts run at half speed), runs ROUNDS alternating
# put-1 rounds of N against each cluster's leader (printing the load tool's rate and latency per
# round), then stops the Keel members, whose patched build writes each Raft index's step times at exit,
# and prints the step table (scripts/put-steps/analyze.py): the client's send and receipt, the
# leader's gRPC handler, the Raft thread, the peer transport both ways, each member's log barrier,
# the commit, the apply thread and its LMDB commits. The clock is CLOCK_MONOTONIC
# (System.nanoTime), the same in every process on the machine.
#   [N=2000] [WARM=5] [ROUNDS=3] scripts/bench-put-steps.sh
# The patch is made against the commit named in its first line; when it no longer applies the
# script stops (refresh it from a tree with the hooks: git diff).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=${N:-2000}; rounds=${ROUNDS:-3}
base=$(mktemp -d /tmp/keel-putsteps.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait; rm -rf "$base"' EXIT
mkdir -p "$base/src" "$base/jar"
git -C "$root" archive HEAD | tar -x -C "$base/src"
git -C "$base/src" init -q && git -C "$base/src" apply "$root/scripts/put-steps/instrument.patch"
(cd "$base/src" && mvn -B -ntp -q -DskipTests -pl backend,bench -am package)
cp "$base"/src/backend/target/keel-backend-*.jar "$base/jar/" && cp -r "$base/src/backend/target/lib" "$base/jar/"
bench_dir=$base/src/bench/target
source "$root/scripts/lib/labelled-clusters.sh"
KEEL_EXTRA_FLAGS="-Dkeel.diag.steps=$base/steps" start_cluster keel keel "$base/jar"
start_cluster etcd etcd ""
wait_until_ready
put1=(--clients 1 --conns 1 --key-size 16 --val-size 256 --target-leader)
for label in keel etcd; do for _ in $(seq 1 "${WARM:-5}"); do b "$label" put --total 1000 "${put1[@]}" >/dev/null; done; done
for r in $(seq 1 "$rounds"); do
  for label in keel etcd; do
    # The patched load tool writes each request's send and answer times at exit.
    JAVA_TOOL_OPTIONS="-Dbench.diag=$base/client-$label.$r" b "$label" put --total "$n" "${put1[@]}" | python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); L=j["latency_ms"]
print("round %s %-4s %4.0f req/s  p50 %5.2f  p90 %5.2f  p99 %6.2f  p99.9 %6.2f ms" % (sys.argv[1], sys.argv[2], j["per_second"], L["p50"], L["p90"], L["p99"], L["p999"]))' "$r" "$label"
  done
done
# Each member writes its step times as it exits; wait's status is the members' (143 after TERM).
# shellcheck disable=SC2086 # a space-separated pid list
kill -TERM ${MPIDS[keel]}
# shellcheck disable=SC2086
wait ${MPIDS[keel]} || true
python3 "$root/scripts/put-steps/analyze.py" "$base/steps" $((rounds * n)) "$base/client-keel"
