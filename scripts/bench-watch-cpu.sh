#!/usr/bin/env bash
# CPU seconds per watch event, for several clusters side by side: starts a 3-member cluster per
# SPEC on loopback, all at once (LABEL:keel:JARDIR, JARDIR a copy of backend/target's jar and lib/,
# with the root pom's JVM and member flags; or LABEL:etcd, the installed etcd), runs the
# side-by-side script's watch row (10 streams x 100 watchers on one key, 1,000 puts = 1,000,000
# events) twice on each as a warm-up, then ROUNDS rounds, each running the row once per cluster
# (alternating which goes first), and prints per run the load average, the JSON line, the three
# members' user+system CPU (/proc/PID/stat) per 1,000,000 events, and the CPU per thread group
# summed over the members (/proc/PID/task/*/stat, names without digits): where it went. On a
# shared machine the rates follow the load; the CPU much less, and every cluster sees the same load.
# JFR_DIR (environment): a JFR recording (settings=profile) per Keel member into that directory.
# PROFILE_DIR (environment, with AP_LIB=.../linux-x64/libasyncProfiler.so of async-profiler 3):
#   CPU samples of every Keel member over the measured rounds only, as collapsed stacks
#   (PROFILE_DIR/LABEL-N.collapsed; threads split out, so grep a thread group's lines).
# KEEL_EXTRA_FLAGS (environment): more JVM flags for every Keel member (e.g. -Xlog:jit+compilation=debug:file=...).
# The JIT's compiler threads are shown apart (no_jit=): C2 still compiles for many runs after a
# start on this machine, and that warm-up is not the fan-out's cost per event.
# WARM_PUTS=N (environment): N puts (100 clients) on each cluster before the warm-up, as the
# side-by-side script's earlier rows do, so the put path is compiled before the watch row runs.
#   [WARM=2] [WARM_PUTS=0] [PER_STREAM=100] [JFR_DIR=dir] [PROFILE_DIR=dir AP_LIB=lib] [KEEL_EXTRA_FLAGS=...] scripts/bench-watch-cpu.sh BENCHDIR ROUNDS LABEL:keel:JARDIR|LABEL:etcd ...
set -uo pipefail
bench_dir=$1; rounds=$2; shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jvm_flags="$(sed -n 's:.*<keel.jvm.flags>\(.*\)</keel.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
member_flags="$(sed -n 's:.*<keel.member.jvm.flags>\(.*\)</keel.member.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
base=$(mktemp -d /tmp/keel-watchcpu.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait; rm -rf "$base"' EXIT
tck=$(getconf CLK_TCK)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
declare -A EPS MPIDS SYS
labels=()

start_cluster() { # label sys jardir
  local label=$1 sys=$2 dir=$3 i c p cl="" eps="" mp=""
  declare -A C P
  for i in 1 2 3; do C[$i]=$(fp); P[$i]=$(fp); done
  for i in 1 2 3; do cl+="${cl:+,}$label-$i=http://127.0.0.1:${P[$i]}"; eps+="${eps:+,}127.0.0.1:${C[$i]}"; done
  for i in 1 2 3; do
    c=http://127.0.0.1:${C[$i]}; p=http://127.0.0.1:${P[$i]}
    local flags=(--name "$label-$i" --data-dir "$base/$label-$i" --listen-client-urls "$c" --advertise-client-urls "$c"
      --listen-peer-urls "$p" --initial-advertise-peer-urls "$p" --initial-cluster "$cl" --initial-cluster-state new)
    if [[ $sys == keel ]]; then
      local jfr=()
      [[ -n "${JFR_DIR:-}" ]] && mkdir -p "$JFR_DIR" && jfr=("-XX:StartFlightRecording=filename=$JFR_DIR/$label-$i.jfr,settings=profile,dumponexit=true")
      # shellcheck disable=SC2086 # the flags are space-separated lists by design
      java $jvm_flags $member_flags ${KEEL_EXTRA_FLAGS:-} -Xmx1g "${jfr[@]}" -cp "$(ls "$dir"/keel-backend-*.jar):$dir/lib/*" io.keel.backend.KeelMain \
        "${flags[@]}" >"$base/$label-$i.log" 2>&1 &
    else
      etcd "${flags[@]}" --initial-cluster-token "$label" --logger zap >"$base/$label-$i.log" 2>&1 &
    fi
    pids+=($!); mp+="${mp:+ }$!"
  done
  EPS[$label]=$eps; MPIDS[$label]=$mp; SYS[$label]=$sys; labels+=("$label")
}
for spec in "$@"; do IFS=: read -r label sys dir <<<"$spec"; start_cluster "$label" "$sys" "${dir:-}"; done
for label in "${labels[@]}"; do
  for _ in $(seq 1 600); do
    etcdctl --endpoints "${EPS[$label]}" --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break
    sleep 0.2
  done
done
b() { local label=$1; shift
  java -Xmx1g -cp "$(ls "$bench_dir"/keel-bench-*.jar):$bench_dir/lib/*" io.keel.bench.KeelBench --endpoints "${EPS[$label]}" "$@" 2>&1 | tail -n 1; }
# "name ticks" per thread of a cluster's members, digits stripped from the names (utime+stime: fields 14, 15)
threads() { local pid t; for pid in ${MPIDS[$1]}; do for t in /proc/"$pid"/task/*/stat; do
  sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\1\t\2/' "$t" 2>/dev/null | awk -F'\t' '{split($2,f," "); n=$1; gsub(/[0-9]+/,"",n); gsub(/ /,"_",n); print n, f[11]+f[12]}'
done; done; }
total() { local pid t=0; for pid in ${MPIDS[$1]}; do t=$((t + $(awk '{print $14+$15}' /proc/"$pid"/stat))); done; echo "$t"; }
watch=(watch --streams 10 --watch-per-stream "${PER_STREAM:-100}" --put-total 1000 --clients 10 --conns 10 --timeout 3m)
if (( ${WARM_PUTS:-0} > 0 )); then
  for label in "${labels[@]}"; do
    b "$label" put --total "$WARM_PUTS" --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 >/dev/null
  done
fi
for label in "${labels[@]}"; do for _ in $(seq 1 "${WARM:-2}"); do b "$label" "${watch[@]}" >/dev/null; done; done  # warm-up (and the JIT)
profile() { # start|stop: async-profiler on every Keel member
  [[ -n "${PROFILE_DIR:-}" ]] || return 0
  local label pid i
  mkdir -p "$PROFILE_DIR"
  for label in "${labels[@]}"; do
    [[ ${SYS[$label]} == keel ]] || continue
    i=0
    for pid in ${MPIDS[$label]}; do
      i=$((i + 1))
      local opts="start,event=cpu,interval=1ms,threads"
      [[ $1 == stop ]] && opts="stop,file=$PROFILE_DIR/$label-$i.collapsed,collapsed"
      jcmd "$pid" JVMTI.agent_load "${AP_LIB:?set AP_LIB to libasyncProfiler.so}" "\"$opts\"" >/dev/null
    done
  done
}
profile start
for r in $(seq 1 "$rounds"); do
  order=("${labels[@]}"); (( r % 2 == 0 )) && order=($(printf '%s\n' "${labels[@]}" | tac))
  for label in "${order[@]}"; do
    load=$(cut -d' ' -f1-3 /proc/loadavg); t0=$(total "$label"); threads "$label" >"$base/t0"
    out=$(b "$label" "${watch[@]}")
    t1=$(total "$label"); threads "$label" >"$base/t1"
    echo "$label round $r load $load: $out"
    python3 - "$label" "$r" "$tck" "$t0" "$t1" "$base/t0" "$base/t1" "$out" <<'EOF'
import sys, json, collections
label, r, tck, t0, t1, f0, f1 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
try:
    events = int(json.loads(sys.argv[8]).get("events_expected") or 1000000)
except ValueError:
    events = 1000000
cpu = (t1 - t0) / tck
def load(f):
    d = collections.Counter()
    for line in open(f):
        n, t = line.rsplit(" ", 1); d[n] += int(t)
    return d
a, b = load(f0), load(f1)
jit = sum(b[k] - a.get(k, 0) for k in b if k.startswith("C_Compiler") or k.startswith("C1_") or k.startswith("C2_")) / tck
print("%s round %s members_cpu_s=%.2f per_1M_events=%.2f no_jit=%.2f" % (label, r, cpu, cpu * 1e6 / events,
      (cpu - jit) * 1e6 / events))
diff = sorted(((b[k] - a.get(k, 0)) / tck, k) for k in b if b[k] - a.get(k, 0) > 0)
print("%s round %s threads: %s" % (label, r, ", ".join("%s %.2f" % (k, v) for v, k in reversed(diff[-12:]))))
EOF
  done
done
profile stop
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
