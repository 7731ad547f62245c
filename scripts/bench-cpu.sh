#!/usr/bin/env bash
# CPU per request: starts a 3-member Keel on loopback from the build in JARDIR (a copy of
# backend/target's jar and lib/), warms it up, then runs one put row and reports the members' CPU
# (user + system, from /proc) per request, member by member and thread group by thread group.
# It says what a request costs the members, which requests/s does not; it is not steadier than
# requests/s: over six runs of each row on one warm cluster (docs/BENCHMARKS.md, pass 16) it spread
# 1.2-1.7x where requests/s spread 1.1-1.6x, slow runs costing more, so compare medians of several
# runs. ETCD=1 measures a 3-member etcd the same way afterwards.
#   [ROW=put-100|put-1] [N=20000] [WARM=5] [ETCD=1] [PROFILE_DIR=dir] [MEMBER_FLAGS=...] \
#     scripts/bench-cpu.sh JARDIR BENCHDIR LABEL
# WARM is how many 20,000-put runs with 100 clients come first (C2 compiles meanwhile; the
# default 5 reaches the steady state). PROFILE_DIR: async-profiler 3 (Maven Central,
# tools.profiler:async-profiler; unzip its jar, point AP_LIB at linux-x64/libasyncProfiler.so) is
# attached to every member for the measured run only and writes collapsed stacks there.
set -uo pipefail
jar_dir=$1; bench_dir=$2; label=$3; jfr_dir=""
row=${ROW:-put-100}; n=${N:-20000}
base=$(mktemp -d /tmp/keel-cpu.XXXXXX)
trap 'for i in 1 2 3; do kill "${PID[$i]:-}" "${EPID[$i]:-}" 2>/dev/null; done; wait' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib/keel-cluster.sh"
case $row in
  put-100) args=(put --total "$n" --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader) ;;
  put-1) args=(put --total "$n" --clients 1 --conns 1 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader) ;;
  *) echo "unknown ROW $row" >&2; exit 2 ;;
esac
warm=(put --total 20000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)

threads() { # pid -> "group ticks" lines (thread names with digits folded)
  for t in /proc/"$1"/task/*; do
    awk '{ s = $0; sub(/^[^(]*\(/, "", s); name = s; sub(/\).*$/, "", name); sub(/^.*\) /, "", s);
           split(s, f, " "); gsub(/[0-9]+/, "N", name); print name "\t" f[12] + f[13] }' "$t/stat" 2>/dev/null
  done | awk -F'\t' '{ a[$1] += $2 } END { for (k in a) print k "\t" a[k] }'
}
ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }
hz=$(getconf CLK_TCK)

measure() { # name pid... : runs the row, prints req/s, CPU per request, per member and group
  local name=$1; shift
  local pids=("$@") i before=() after=() out
  for i in "${!pids[@]}"; do before[$i]=$(ticks "${pids[$i]}"); threads "${pids[$i]}" >"$base/t0-$i"; done
  out=$(b "${args[@]}")
  for i in "${!pids[@]}"; do after[$i]=$(ticks "${pids[$i]}"); threads "${pids[$i]}" >"$base/t1-$i"; done
  python3 - "$name" "$n" "$hz" "$out" "$base" "${#pids[@]}" "${before[@]}" "${after[@]}" <<'PY'
import json, sys
name, n, hz, out, base, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
b = [int(x) for x in sys.argv[7:7 + k]]; a = [int(x) for x in sys.argv[7 + k:7 + 2 * k]]
j = json.loads(out); l = j["latency_ms"]
us = lambda t: t * 1e6 / hz / n
print("%s: %.1f req/s, p50 %.2f ms, p99 %.2f ms, errors %d" % (name, j["per_second"], l["p50"], l["p99"], j["errors"]))
print("  CPU per request, all members: %.0f us" % us(sum(a) - sum(b)))
for i in range(k):
    t0 = dict(x.rstrip("\n").split("\t") for x in open("%s/t0-%d" % (base, i)))
    t1 = dict(x.rstrip("\n").split("\t") for x in open("%s/t1-%d" % (base, i)))
    groups = sorted(((int(v) - int(t0.get(g, 0)), g) for g, v in t1.items()), reverse=True)[:5]
    print("  member %d: %.0f us  (%s)" % (i + 1, us(a[i] - b[i]),
          ", ".join("%s %.0f" % (g, us(d)) for d, g in groups if d > 0)))
PY
}

profile() { # start|stop pid i
  [[ -n "${PROFILE_DIR:-}" ]] || return 0
  local opts="start,event=cpu,interval=1ms"
  [[ $1 == stop ]] && opts="stop,file=$PROFILE_DIR/$label-k$3.collapsed,collapsed"
  jcmd "$2" JVMTI.agent_load "${AP_LIB:?set AP_LIB to libasyncProfiler.so}" "\"$opts\"" >/dev/null
}

echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 "${WARM:-5}"); do b "${warm[@]}" >/dev/null; done
[[ $row == put-1 ]] && b "${args[@]}" >/dev/null
[[ -n "${PROFILE_DIR:-}" ]] && mkdir -p "$PROFILE_DIR"
for i in 1 2 3; do profile start "${PID[$i]}" "$i"; done
measure "$label $row" "${PID[1]}" "${PID[2]}" "${PID[3]}"
for i in 1 2 3; do profile stop "${PID[$i]}" "$i"; done

if [[ -n "${ETCD:-}" ]]; then
  for i in 1 2 3; do kill "${PID[$i]}"; done; wait 2>/dev/null
  etcd_token=cpu; source "$(dirname "${BASH_SOURCE[0]}")/lib/etcd-cluster.sh"
  eps=$eeps # b() sends to $eps
  for _ in $(seq 1 600); do etcdctl --endpoints "$eps" --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break; sleep 0.2; done
  for _ in $(seq 1 "${WARM:-5}"); do b "${warm[@]}" >/dev/null; done
  measure "etcd $row" "${EPID[1]}" "${EPID[2]}" "${EPID[3]}"
fi
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
