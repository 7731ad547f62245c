#!/usr/bin/env bash
# Runs the same workloads against a 3-member Keel and a 3-member real etcd (Debian's etcd-server),
# both on loopback, both with fsync on and their data dirs on one filesystem, alternating Keel and
# etcd workload by workload; writes the table into docs/BENCHMARKS.md (between the side-by-side
# markers) and the raw JSON lines next to it. Each measured run also records what it cost the
# three members in CPU (server_cpu_s), tabulated as CPU per request.
#
#   scripts/bench-side-by-side.sh [--restart-keys N] [--rounds R] [--warmups W] [--quick] [--jfr DIR] [--base DIR]
#
#   --restart-keys N  keys (256-byte values) in the store for the restart-to-ready row (default
#                     1000000; at most 100000 reuses the memory row's 100,000 keys)
#   --rounds R        how many times each workload runs on each (alternating; the table shows the
#                     best run and, for R > 1, the medians) (1)
#   --warmups W       unrecorded runs of each workload on each system before its rounds (6)
#   --quick           a tenth of every request count (a dry run of the script)
#   --jfr DIR         record a JFR profile of every Keel member into DIR
#   --base DIR        where both clusters keep their data (default: a new dir under /tmp)
#   --rest S          seconds both systems rest after the memory row's load before their RSS is
#                     read again, "at rest" (10): Go's scavenger and Keel's idle native-heap trim
#                     give back memory once the load is over
#
# Every workload runs W times on each system unrecorded before its measured rounds (a warm-up: the
# JVM compiles Keel's code paths while they first run; etcd gets the same runs). One run is not
# enough for the rows with few requests: over five back-to-back watch rows (1,000 puts each) a
# fresh member's CPU fell 14.1 -> 10.0 -> 5.9 -> 5.7 -> 5.1 s while C2 compiled, etcd's stayed at
# 4.6-5.6 s (docs/BENCHMARKS.md, pass 8). Three were not enough either: C2 still compiled the watch
# path in the seventh to tenth run, and after six warm-ups Keel's CPU per watch event still fell
# over the five measured rounds (2.5 -> 1.2 us; etcd's 1.7-2.0) (pass 15).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
restart_keys=1000000
rounds=1
warmups=6
scale=1
jfr_dir=""
rest=10
base=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --restart-keys) restart_keys="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmups) warmups="$2"; shift 2 ;;
    --quick) scale=10; shift ;;
    --jfr) jfr_dir="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --rest) rest="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v etcd >/dev/null || { echo "needs etcd (apt-get install etcd-server)" >&2; exit 2; }
command -v etcdctl >/dev/null || { echo "needs etcdctl (apt-get install etcd-client)" >&2; exit 2; }
base="${base:-$(mktemp -d /tmp/keel-sbs.XXXXXX)}"
mkdir -p "$base"
results="$base/results.jsonl"
: > "$results"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

log "building (mvn -q -DskipTests package -pl bench -am)"
(cd "$root" && mvn -B -ntp -q -DskipTests -pl bench -am package) >&2
keel_heap="${KEEL_HEAP:--Xmx1g}"

source "$root/scripts/lib/free-ports.sh"

declare -A CPORT PPORT PID
free_ports 12
ports=("${FREE_PORTS[@]}")
for sys in keel etcd; do
  for i in 1 2 3; do CPORT[$sys$i]=${ports[0]}; PPORT[$sys$i]=${ports[1]}; ports=("${ports[@]:2}"); done
done
cluster() { echo "$1-1=http://127.0.0.1:${PPORT[${1}1]},$1-2=http://127.0.0.1:${PPORT[${1}2]},$1-3=http://127.0.0.1:${PPORT[${1}3]}"; }
endpoints() { echo "127.0.0.1:${CPORT[${1}1]},127.0.0.1:${CPORT[${1}2]},127.0.0.1:${CPORT[${1}3]}"; }

start_member() { # sys i state
  local sys=$1 i=$2 state=$3 name="$1-$2"
  local c="http://127.0.0.1:${CPORT[$sys$i]}" p="http://127.0.0.1:${PPORT[$sys$i]}"
  local flags=(--name "$name" --data-dir "$base/$name" --listen-client-urls "$c" --advertise-client-urls "$c"
    --listen-peer-urls "$p" --initial-advertise-peer-urls "$p" --initial-cluster "$(cluster "$sys")"
    --initial-cluster-state "$state")
  if [[ $sys == keel ]]; then
    local jfr=()
    [[ -n "$jfr_dir" ]] && mkdir -p "$jfr_dir" && jfr=("-XX:StartFlightRecording=filename=$jfr_dir/$name-$(date +%s).jfr,settings=profile,dumponexit=true")
    # As an operator starts it (bin/keel: its JVM, the pom's JVM flags, its AOT cache or CDS archive).
    KEEL_JAVA_OPTS="$keel_heap ${jfr[*]}" "$root/bin/keel" "${flags[@]}" >>"$base/$name.log" 2>&1 &
  else
    etcd "${flags[@]}" --initial-cluster-token sbs --logger zap >>"$base/$name.log" 2>&1 &
  fi
  PID[$sys$i]=$!
}
start_cluster() { for i in 1 2 3; do start_member "$1" "$i" "${2:-new}"; done; }
stop_cluster() {
  for i in 1 2 3; do kill "${PID[$1$i]}" 2>/dev/null || true; done
  for i in 1 2 3; do wait "${PID[$1$i]}" 2>/dev/null || true; done
}
await_writable() { # sys -> seconds taken
  local t0 t1
  t0=$(date +%s.%N)
  for _ in $(seq 1 600); do
    if etcdctl --endpoints "$(endpoints "$1")" --dial-timeout=1s --command-timeout=2s put sbs-ready 1 >/dev/null 2>&1; then
      t1=$(date +%s.%N); python3 -c "print(round($t1-$t0,3))"; return 0
    fi
    sleep 0.1
  done
  echo "$1 never became writable" >&2; return 1
}
rss_kib() { local sum=0; for i in 1 2 3; do sum=$((sum + $(awk '/VmRSS/{print $2}' "/proc/${PID[$1$i]}/status"))); done; echo $((sum / 3)); }
# The three members' user + system CPU so far, in clock ticks (fields 14 and 15 of /proc/PID/stat,
# counted after the command name, which ends with the last ")"); nothing when a member is gone.
cpu_ticks() { # sys
  local sum=0 i stat fields
  for i in 1 2 3; do
    stat="$(cat "/proc/${PID[$1$i]}/stat" 2>/dev/null)" || return 0
    read -r -a fields <<<"${stat##*) }"
    sum=$((sum + fields[11] + fields[12]))
  done
  echo "$sum"
}
clock_ticks="$(getconf CLK_TCK)"
bench() { # sys row args...
  local sys=$1 row=$2; shift 2
  local out before after ticks=""
  before="$(cpu_ticks "$sys")"
  out="$("$root/bin/keel-bench" --endpoints "$(endpoints "$sys")" "$@" 2>&1 | tee -a "$base/bench-$sys.log" | tail -n 1)" || true
  after="$(cpu_ticks "$sys")"
  [[ -n "$before" && -n "$after" ]] && ticks=$((after - before))
  if [[ "$out" != "{"* ]]; then out='{"bench":"failed","ok":0,"errors":1,"per_second":0,"latency_ms":{"p99":0}}'; fi
  # server_cpu_s: what the run cost the three members in CPU (the load tool's own CPU is not in it).
  python3 - "$sys" "$row" "$out" "$ticks" "$clock_ticks" >>"$results" <<'PY'
import json, sys
d = json.loads(sys.argv[3]); d["system"] = sys.argv[1]; d["row"] = sys.argv[2]
if sys.argv[4]:  # empty when a member was gone before or after the run
    d["server_cpu_s"] = round(int(sys.argv[4]) / int(sys.argv[5]), 2)
print(json.dumps(d))
PY
  log "$sys $row: $(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d.get('per_second'), '/s p99', d['latency_ms']['p99'], 'ms errors', d.get('errors'))" "$out")"
}
extra() { python3 -c "import json; print(json.dumps({'system':'$1','row':'$2','value':$3}))" >>"$results"; }
trap 'stop_cluster keel; stop_cluster etcd' EXIT

# Keel's members run on the JVM bin/keel picks: a JDK 25 or later when the machine has one, from
# an AOT cache trained here first (scripts/aot-train.sh, ~2 min; an operator runs it once after a
# build); else the `java` on the PATH with its class-data-sharing archive.
log "training bin/keel's AOT cache (scripts/aot-train.sh)"
"$root/scripts/aot-train.sh"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "data in $base; load average $load_before"
start_cluster keel; start_cluster etcd
log "keel ready after $(await_writable keel)s; etcd ready after $(await_writable etcd)s"
members_java="$(sed -n 's/.*"java-version":"\([^"]*\)".*/\1/p' "$base/keel-1.log" | head -n 1)"
aot=""; [[ -f "$root/backend/target/keel.aot" ]] && aot=" from the AOT cache trained before the run"
export KEEL_MEMBERS_JVM="Keel's members on Java ${members_java:-?}$aot"

# Memory: RSS per 100,000 keys of 256 bytes (average of the three members' growth).
for sys in keel etcd; do
  before=$(rss_kib "$sys")
  bench "$sys" load-100k put --total $((100000 / scale)) --clients 100 --conns 10 --key-size 16 --val-size 256 \
    --sequential-keys --key-space-size $((100000 / scale)) --target-leader
  after=$(rss_kib "$sys")
  extra "$sys" rss-per-100k-mib "$(python3 -c "print(round(($after-$before)*$scale/1024,1))")"
  extra "$sys" rss-mib "$(python3 -c "print(round($after/1024,1))")"
  sleep "$rest"
  extra "$sys" rss-rest-mib "$(python3 -c "print(round($(rss_kib "$sys")/1024,1))")"
done

warm() { # sys row args... : the same run, not recorded
  local sys=$1 row=$2; shift 2
  "$root/bin/keel-bench" --endpoints "$(endpoints "$sys")" "$@" >>"$base/warmup-$sys.log" 2>&1 || true
  log "$sys $row: warm-up run done (not recorded)"
}
run_row() { # row args... : W unrecorded warm-up runs on each, then alternate who goes first each round
  local row=$1; shift
  # Keel is a JVM: a workload's code paths are compiled (C2) while they first run. Both systems
  # get the same warm-up runs, alternating, so the rows compare steady states, as a long-running
  # member serves.
  for _ in $(seq 1 "$warmups"); do
    for sys in keel etcd; do warm "$sys" "$row" "$@"; done
  done
  for r in $(seq 1 "$rounds"); do
    if (( r % 2 == 1 )); then order="keel etcd"; else order="etcd keel"; fi
    for sys in $order; do bench "$sys" "$row" "$@"; done
  done
}
run_row put-1-client put --total $((2000 / scale)) --clients 1 --conns 1 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader
run_row put-100-clients put --total $((20000 / scale)) --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader
run_row txn-put txn-put --total $((10000 / scale)) --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader
for sys in keel etcd; do etcdctl --endpoints "$(endpoints "$sys")" put foo bar >/dev/null; done
run_row range-l-100-clients range foo --consistency l --total $((20000 / scale)) --clients 100 --conns 10
run_row range-s-100-clients range foo --consistency s --total $((20000 / scale)) --clients 100 --conns 10
run_row watch-1000 watch --streams 10 --watch-per-stream 100 --put-total $((1000 / scale)) --clients 10 --conns 10 --timeout 3m

# Restart to ready with N keys: load, stop all three (SIGTERM), start all three, time to a write.
# The 100,000 keys loaded for the memory row count: only a larger N loads (and overwrites) more.
for sys in keel etcd; do
  if (( restart_keys > 100000 / scale )); then
    bench "$sys" load-restart put --total "$restart_keys" --clients 100 --conns 10 --key-size 16 --val-size 256 \
      --sequential-keys --key-space-size "$restart_keys" --target-leader --timeout 60m
  fi
  stop_cluster "$sys"
  start_cluster "$sys" existing
  extra "$sys" restart-to-ready-s "$(await_writable "$sys")"
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$root/scripts/bench-table.py" "$results" "$root/docs/BENCHMARKS.md" "$restart_keys" "$scale" "$rounds" \
  "$load_before" "$load_after" "$keel_heap" "$warmups" "$rest"
cp "$results" "$root/docs/bench-results.jsonl"
log "table written to docs/BENCHMARKS.md; raw results in docs/bench-results.jsonl; data in $base"
