#!/usr/bin/env bash
# The side-by-side script's memory rows alone: a fresh 3-member Keel cluster from a given build
# (JARDIR holds backend/target's keel-backend jar and lib/, BENCHDIR bench's), RSS of each member
# before and after loading 100,000 keys of 256 bytes (16-byte sequential keys, 100 clients over 10
# connections, to the leader), mean of the members, as bench-side-by-side.sh measures it. With
# ETCD=1 a 3-member etcd is started at the same moment and measured right after, for reference.
# MEMBER_FLAGS (environment) replaces the pom's member flags (keel.member.jvm.flags); NMT=1 adds
# -XX:NativeMemoryTracking=summary. DETAIL_DIR (environment) receives member 1's breakdown after
# the load: /proc smaps_rollup and status, jcmd GC.heap_info, VM.native_memory summary (with NMT=1)
# and the top of GC.class_histogram (which runs a full GC: taken last).
#   [ETCD=1] [NMT=1] [DETAIL_DIR=dir] [MEMBER_FLAGS="..."] scripts/bench-memory.sh JARDIR BENCHDIR LABEL
set -uo pipefail
jar_dir=$1; bench_dir=$2; label=$3; jfr_dir=""
base=$(mktemp -d /tmp/keel-mem.XXXXXX)
declare -A EPID
trap 'for i in 1 2 3; do kill "${PID[$i]:-}" "${EPID[$i]:-}" 2>/dev/null; done; wait; rm -rf "$base"' EXIT
[[ "${NMT:-}" == 1 ]] && MEMBER_FLAGS="${MEMBER_FLAGS-$(sed -n 's:.*<keel.member.jvm.flags>\(.*\)</keel.member.jvm.flags>.*:\1:p' \
  "$(dirname "${BASH_SOURCE[0]}")/../pom.xml" | head -n 1)} -XX:NativeMemoryTracking=summary"
export MEMBER_FLAGS
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${ETCD:-}" == 1 ]]; then
  etcd_token=mem; source "$(dirname "${BASH_SOURCE[0]}")/lib/etcd-cluster.sh"
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib/keel-cluster.sh"
rss() { local sum=0 p; for p in "$@"; do sum=$((sum + $(awk '/VmRSS/{print $2}' "/proc/$p/status"))); done; echo $((sum / $#)); }
measure() { # name endpoints pids...
  local name=$1 ep=$2; shift 2
  for _ in $(seq 1 600); do etcdctl --endpoints "$ep" --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break; sleep 0.2; done
  local before after out
  before=$(rss "$@")
  out="$(java -Xmx1g -cp "$(ls $bench_dir/keel-bench-*.jar):$bench_dir/lib/*" io.keel.bench.KeelBench --endpoints "$ep" \
    put --total 100000 --clients 100 --conns 10 --key-size 16 --val-size 256 --sequential-keys --key-space-size 100000 \
    --target-leader 2>&1 | tail -n 1)"
  after=$(rss "$@")
  python3 -c 'import json,sys; j=json.loads(sys.argv[5]) if sys.argv[5].startswith("{") else {"per_second":0,"errors":-1}
b,a=int(sys.argv[3]),int(sys.argv[4])
print("%-12s %-5s rss before %6.1f MiB  after %6.1f MiB  growth %6.1f MiB  load %7.1f puts/s errors %d  loadavg %s" % (
  sys.argv[1], sys.argv[2], b/1024, a/1024, (a-b)/1024, j["per_second"], j["errors"], open("/proc/loadavg").read().split()[0]))' \
    "$label" "$name" "$before" "$after" "$out"
}
echo "$label load average at start $load_start"
measure keel "$eps" "${PID[1]}" "${PID[2]}" "${PID[3]}"
if [[ -n "${DETAIL_DIR:-}" ]]; then
  mkdir -p "$DETAIL_DIR"; p=${PID[1]}; d="$DETAIL_DIR/$label"
  cat /proc/$p/smaps_rollup >"$d.smaps_rollup"; grep -E 'Vm|Rss|Threads' /proc/$p/status >"$d.status"
  jcmd $p GC.heap_info >"$d.heap_info" 2>&1
  [[ "${MEMBER_FLAGS:-}" == *NativeMemoryTracking* ]] && jcmd $p VM.native_memory summary >"$d.nmt" 2>&1
  awk '{print $6}' /proc/$p/maps | sort | uniq -c | sort -rn | head -20 >"$d.maps"
  python3 - "$p" >"$d.smaps_by_file" <<'PY'
import sys, collections
rss = collections.Counter(); name = None
for line in open("/proc/%s/smaps" % sys.argv[1]):
    f = line.split()
    if len(f) >= 5 and "-" in f[0] and ":" in f[3]:
        name = f[5] if len(f) > 5 else "[anon]"
    elif f[0] == "Rss:":
        rss[name] += int(f[1])
for n, k in rss.most_common(25): print("%8d KiB %s" % (k, n))
PY
  jcmd $p GC.class_histogram >"$d.histogram.full" 2>&1; { head -40 "$d.histogram.full"; tail -n 1 "$d.histogram.full"; } >"$d.histogram"; rm -f "$d.histogram.full"
fi
[[ "${ETCD:-}" == 1 ]] && measure etcd "$eeps" "${EPID[1]}" "${EPID[2]}" "${EPID[3]}"
echo "$label load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
