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
base=$(mktemp -d /tmp/keel-watchcpu.XXXXXX)
source "$root/scripts/lib/labelled-clusters.sh"
trap 'kill "${pids[@]}" 2>/dev/null; wait; rm -rf "$base"' EXIT
tck=$(getconf CLK_TCK)

start_clusters "$@"
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
