#!/usr/bin/env bash
# Trains bin/keel's AOT cache (JDK 25 and later) on a representative load, so that members start
# with the JIT's profiles of the request paths rather than of whatever the first member to stop
# after a build happened to do. Starts a 3-member cluster through bin/keel (KEEL_AOT_RECORD=1: each
# member records while it runs) on free loopback ports with its data in a temporary directory,
# runs the load tool against it (put with 1 and 100 clients, txn-put, linearizable and
# serializable range, the watch fan-out, lease keep-alives), moves the leadership half-way so that
# the members see both a leader's and a follower's paths, stops them (each writes its cache as it
# exits, a few seconds) and keeps the largest as backend/target/keel.aot, which bin/keel maps
# from then on (until the next build). About two minutes. Builds first when needed.
#
# On a JDK older than 25 bin/keel has no AOT cache (it records its class-data-sharing archive
# instead): the script says so and changes nothing.
#   scripts/aot-train.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/backend/target"
base="$(mktemp -d /tmp/keel-aot-train.XXXXXX)"
declare -a PID
stop_members() { # SIGTERM, then up to 2 minutes for each to write its cache and exit
  local p
  for p in "${PID[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PID[@]}"; do
    for _ in $(seq 1 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$p" 2>/dev/null || true
  done
}
trap 'stop_members; rm -rf "$base"' EXIT
log() { echo "[aot-train $(date -u +%H:%M:%S)] $*" >&2; }

# Build both once up front (the members would otherwise wait on each other's build lock).
"$root/bin/keel" --version >/dev/null
"$root/bin/keel-bench" --help >/dev/null 2>&1 || true
rm -f "$target"/keel-aot.*.aot

source "$root/scripts/lib/free-ports.sh"
declare -a C P
free_ports 6
read -r 'C[1]' 'C[2]' 'C[3]' 'P[1]' 'P[2]' 'P[3]' <<<"${FREE_PORTS[*]}"
cluster="t1=http://127.0.0.1:${P[1]},t2=http://127.0.0.1:${P[2]},t3=http://127.0.0.1:${P[3]}"
eps="127.0.0.1:${C[1]},127.0.0.1:${C[2]},127.0.0.1:${C[3]}"
for i in 1 2 3; do
  c="http://127.0.0.1:${C[$i]}"; p="http://127.0.0.1:${P[$i]}"
  KEEL_AOT_RECORD=1 KEEL_JAVA_OPTS="-Xmx1g" "$root/bin/keel" --name "t$i" --data-dir "$base/t$i" \
    --listen-client-urls "$c" --advertise-client-urls "$c" --listen-peer-urls "$p" \
    --initial-advertise-peer-urls "$p" --initial-cluster "$cluster" --initial-cluster-state new \
    >"$base/t$i.log" 2>&1 &
  PID[i]=$!
done
ready=""
for _ in $(seq 1 600); do
  if etcdctl --endpoints "$eps" --dial-timeout=1s --command-timeout=2s put aot-train 1 >/dev/null 2>&1; then ready=yes; break; fi
  sleep 0.2
done
[[ -n "$ready" ]] || { echo "aot-train: the training cluster did not become writable; logs in $base" >&2; trap - EXIT; stop_members; exit 1; }

bench() { "$root/bin/keel-bench" --endpoints "$eps" "$@" >>"$base/bench.log" 2>&1 || log "a run failed: $*"; }
train() {
  bench put --total 3000 --clients 1 --conns 1 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader
  bench put --total 20000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader
  bench txn-put --total 5000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader
  bench range foo --consistency l --total 10000 --clients 100 --conns 10
  bench range foo --consistency s --total 10000 --clients 100 --conns 10
  bench watch --streams 10 --watch-per-stream 100 --put-total 1000 --clients 10 --conns 10 --timeout 3m
  bench lease-keepalive --total 2000 --clients 10 --conns 2
}
log "cluster ready; first half"
train
# Hand the leadership to another member, so that the old leader runs as a follower and the other
# way round.
{ read -r leader_ep; read -r other_id; } < <(etcdctl --endpoints "$eps" endpoint status -w json | python3 -c '
import json, sys
s = json.load(sys.stdin)
leader = lambda e: e["Status"]["leader"] == e["Status"]["header"]["member_id"]
print(next(e["Endpoint"] for e in s if leader(e)))
print("%x" % next(e["Status"]["header"]["member_id"] for e in s if not leader(e)))')
etcdctl --endpoints "$leader_ep" move-leader "$other_id" >/dev/null
log "leadership moved; second half"
train
log "stopping the members (each writes its cache)"
stop_members

shopt -s nullglob
recorded=("$target"/keel-aot.*.aot)
if ((${#recorded[@]} == 0)); then
  log "no AOT cache was recorded: bin/keel runs on a JDK older than 25 here (KEEL_JAVA_HOME picks one); nothing changed"
  exit 0
fi
# The largest recording holds the most classes and profiles; bin/keel checks and adopts it.
largest="$(ls -S "${recorded[@]}" | head -n 1)"
for f in "${recorded[@]}"; do [[ "$f" == "$largest" ]] || rm -f "$f"; done
rm -f "$target/keel.aot" "$target/keel.aot.jvm"
"$root/bin/keel" --version >/dev/null
if [[ -f "$target/keel.aot" ]]; then
  log "installed $target/keel.aot ($(du -m "$target/keel.aot" | cut -f1) MiB), trained by $(cat "$target/keel.aot.jvm")"
else
  echo "aot-train: the JVM could not map the recorded cache; bin/keel will record one itself" >&2
  exit 1
fi
