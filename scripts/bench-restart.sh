#!/usr/bin/env bash
# Restart-to-ready, measured alone and repeatably: the side-by-side row's method (3 members on
# loopback, all stopped with SIGTERM and started again, ready = an `etcdctl put` through all
# endpoints succeeds) on one copied data set, so every trial restarts exactly the same data.
#
#   scripts/bench-restart.sh prepare DIR [KEYS]     load a fresh Keel cluster (from this tree's
#                                                   build) with KEYS keys of 256 B (100,000), stop
#                                                   it, keep its data dirs and ports in DIR/ref
#   scripts/bench-restart.sh trial DIR LABEL BUILD  restart a fresh copy of DIR/ref with the jars
#                                                   in BUILD (a copy of backend/target's jar and
#                                                   lib/); prints one JSON line, keeps the member
#                                                   logs in DIR/LABEL-N/
#   scripts/bench-restart.sh etcd DIR [KEYS]        the same for etcd 3.4 (prepares once, then one
#                                                   trial per call; its zap logs have the phases)
#
# CDS=on adds bin/keel's class-data sharing flags (BUILD/keel-cds.jsa, recorded on the first trial).
# Only for benchmarking; no test runs it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jvm_flags="$(sed -n 's:.*<keel.jvm.flags>\(.*\)</keel.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
member_flags="$(sed -n 's:.*<keel.member.jvm.flags>\(.*\)</keel.member.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
# Ports below the kernel's ephemeral range (32768 and up here): the data set keeps its ports for
# every trial, and a port in that range can be taken meanwhile by any process's outgoing connection.
fp() { python3 -c '
import random, socket
while True:
    p = random.randrange(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()'; }
now() { date +%s.%N; }
mode=$1 dir=$2; shift 2
mkdir -p "$dir"
declare -A PID

ports() { # sets C[i], P[i] from DIR/$1/ports, picking and saving them the first time
  local f=$dir/$1/ports
  if [[ ! -f $f ]]; then mkdir -p "$dir/$1"; for i in 1 2 3; do echo "$(fp) $(fp)" >>"$f"; done; fi
  declare -gA C P; local i=1
  while read -r c p; do C[$i]=$c; P[$i]=$p; i=$((i + 1)); done <"$f"
  eps="127.0.0.1:${C[1]},127.0.0.1:${C[2]},127.0.0.1:${C[3]}"
}
start_keel() { # data state build logdir
  local data=$1 state=$2 build=$3 logs=$4 i cds=()
  local cl="k-1=http://127.0.0.1:${P[1]},k-2=http://127.0.0.1:${P[2]},k-3=http://127.0.0.1:${P[3]}"
  if [[ "${CDS:-off}" == on ]]; then
    if [[ -f $build/keel-cds.jsa ]]; then cds=(-XX:SharedArchiveFile="$build/keel-cds.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
    else cds=(-XX:ArchiveClassesAtExit="$build/keel-cds.rec.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off); fi
  fi
  for i in 1 2 3; do
    local c=http://127.0.0.1:${C[$i]} p=http://127.0.0.1:${P[$i]}
    # shellcheck disable=SC2086 # space-separated flag lists by design
    local member_cds=("${cds[@]}"); member_cds=("${member_cds[@]/.rec./.rec$i.}")
    java $jvm_flags $member_flags -Xmx1g "${member_cds[@]}" ${EXTRA_JVM:-} -cp "$(ls "$build"/keel-backend-*.jar):$build/lib/*" \
      io.keel.backend.KeelMain --name k-$i --data-dir "$data/k-$i" --listen-client-urls $c --advertise-client-urls $c \
      --listen-peer-urls $p --initial-advertise-peer-urls $p --initial-cluster "$cl" --initial-cluster-state "$state" \
      >"$logs/k-$i.log" 2>&1 &
    PID[$i]=$!
  done
}
start_etcd() { # data state logdir
  local data=$1 state=$2 logs=$3 i
  local cl="e-1=http://127.0.0.1:${P[1]},e-2=http://127.0.0.1:${P[2]},e-3=http://127.0.0.1:${P[3]}"
  for i in 1 2 3; do
    local c=http://127.0.0.1:${C[$i]} p=http://127.0.0.1:${P[$i]}
    etcd --logger zap --name e-$i --data-dir "$data/e-$i" --listen-client-urls $c --advertise-client-urls $c \
      --listen-peer-urls $p --initial-advertise-peer-urls $p --initial-cluster "$cl" --initial-cluster-state "$state" \
      >"$logs/e-$i.log" 2>&1 &
    PID[$i]=$!
  done
}
await_put() { # prints seconds since $1 until a put through all endpoints succeeds
  local t0=$1
  for _ in $(seq 1 1200); do
    etcdctl --endpoints "$eps" --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break
    sleep 0.05
  done
  python3 -c "print(round($(now) - $t0, 3))"
}
stop_all() { local i; for i in "${!PID[@]}"; do kill -TERM "${PID[$i]}" 2>/dev/null || true; done
  for i in "${!PID[@]}"; do wait "${PID[$i]}" 2>/dev/null || true; done; PID=(); }
trap stop_all EXIT
load() { # keys
  java -Xmx1g -cp "$(ls "$root"/bench/target/keel-bench-*.jar):$root/bench/target/lib/*" io.keel.bench.KeelBench \
    --endpoints "$eps" put --total "$1" --clients 100 --conns 10 --key-size 16 --val-size 256 \
    --sequential-keys --key-space-size "$1" --target-leader --timeout 60m 2>&1 | tail -n 1
}

case $mode in
prepare)
  keys=${1:-100000}; ports ref; rm -rf "$dir/ref/data"; mkdir -p "$dir/ref/data" "$dir/build-ref"
  cp "$(ls "$root"/backend/target/keel-backend-*.jar | grep -v -- '-sources\|-tests' | head -n 1)" "$dir/build-ref/"
  cp -r "$root/backend/target/lib" "$dir/build-ref/"
  start_keel "$dir/ref/data" new "$dir/build-ref" "$dir/ref"; await_put "$(now)" >/dev/null
  load "$keys"; stop_all
  echo "{\"prepared\":\"$dir/ref\",\"keys\":$keys}" ;;
trial)
  label=$1 build=$2; ports ref; n=1; while [[ -d $dir/$label-$n ]]; do n=$((n + 1)); done
  out=$dir/$label-$n; mkdir -p "$out"; cp -a "$dir/ref/data" "$out/data"; sync
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"; t0=$(now); start_keel "$out/data" existing "$build" "$out"
  s=$(await_put "$t0"); stop_all; rm -rf "$out/data"
  # A recording trial (CDS=on, no archive yet): keep member 1's archive for the next trials.
  if [[ -f $build/keel-cds.rec1.jsa ]]; then mv "$build/keel-cds.rec1.jsa" "$build/keel-cds.jsa"; rm -f "$build"/keel-cds.rec*.jsa; fi
  echo "{\"label\":\"$label\",\"trial\":$n,\"restart_to_ready_s\":$s,\"load\":$load_avg,\"t0\":$t0}" ;;
etcd)
  keys=${1:-100000}; ports etcd-ref
  if [[ ! -d $dir/etcd-ref/data ]]; then
    mkdir -p "$dir/etcd-ref/data"; start_etcd "$dir/etcd-ref/data" new "$dir/etcd-ref"; await_put "$(now)" >/dev/null
    load "$keys"; stop_all
  fi
  n=1; while [[ -d $dir/etcd-$n ]]; do n=$((n + 1)); done
  out=$dir/etcd-$n; mkdir -p "$out"; cp -a "$dir/etcd-ref/data" "$out/data"; sync
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"; t0=$(now); start_etcd "$out/data" existing "$out"
  s=$(await_put "$t0"); stop_all; rm -rf "$out/data"
  echo "{\"label\":\"etcd\",\"trial\":$n,\"restart_to_ready_s\":$s,\"load\":$load_avg,\"t0\":$t0}" ;;
*) echo "usage: $0 prepare|trial|etcd DIR ..." >&2; exit 2 ;;
esac
