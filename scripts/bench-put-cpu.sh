#!/usr/bin/env bash
# CPU per put for several clusters side by side: starts a 3-member cluster per SPEC on loopback,
# all at once (LABEL:keel:JARDIR, JARDIR a copy of backend/target's jar and lib/, with the root
# pom's JVM and member flags; or LABEL:etcd, the installed etcd), warms each up (WARM runs of 20,000
# puts, 100 clients), then ROUNDS rounds, each running the put row once per cluster (alternating
# which goes first). Per run it prints the JSON line's rate and latency, the members' user+system
# CPU (/proc/PID/stat) per put, per member (the leader first: the load tool targets it), and per
# thread group (names without digits, /proc/PID/task/*/stat) with its run-queue wait
# (/proc/PID/task/*/schedstat: time runnable but not running, waiting for a CPU) and voluntary
# context switches per put (each one a thread that parked and was woken: a hand-off's real price),
# printed per put as "group CPU/WAITw/SWITCHEScs" (CPU and wait in microseconds). Every cluster
# sees the same machine load, which on a shared machine moves the rate far more than the CPU.
# A Keel SPEC may add member JVM flags, comma-separated: LABEL:keel:JARDIR:-XX:Flag1,-XX:Flag2.
#   [ROW=put-100|put-1] [N=20000] [WARM=5] scripts/bench-put-cpu.sh BENCHDIR ROUNDS LABEL:keel:JARDIR[:FLAGS]|LABEL:etcd ...
set -uo pipefail
bench_dir=$1; rounds=$2; shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=$(mktemp -d /tmp/keel-putcpu.XXXXXX)
source "$root/scripts/lib/labelled-clusters.sh"
trap 'kill "${pids[@]}" 2>/dev/null; wait; rm -rf "$base"' EXIT
tck=$(getconf CLK_TCK)
n=${N:-20000}
case ${ROW:-put-100} in
  put-100) row=(put --total "$n" --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader) ;;
  put-1) row=(put --total "$n" --clients 1 --conns 1 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader) ;;
  *) echo "unknown ROW ${ROW}" >&2; exit 2 ;;
esac
warm=(put --total 20000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)

start_clusters "$@"
# "member<TAB>group<TAB>ticks<TAB>voluntary switches<TAB>run-queue wait (ns)" per thread of a cluster's members
snap() { local pid m=0 t name ticks vcs; for pid in ${MPIDS[$1]}; do m=$((m + 1)); for t in /proc/"$pid"/task/*; do
  name=$(sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\1/' "$t/stat" 2>/dev/null | tr -d '0-9' | tr ' ' '_')
  ticks=$(sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\2/' "$t/stat" 2>/dev/null | awk '{print $11 + $12}')
  vcs=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null)
  wait_ns=$(cut -d' ' -f2 "$t/schedstat" 2>/dev/null)
  [[ -n "$ticks" ]] &&  printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$name" "$ticks" "${vcs:-0}" "${wait_ns:-0}"
done; done; }
for label in "${labels[@]}"; do for _ in $(seq 1 "${WARM:-5}"); do b "$label" "${warm[@]}" >/dev/null; done; done
for r in $(seq 1 "$rounds"); do
  order=("${labels[@]}"); (( r % 2 == 0 )) && order=($(printf '%s\n' "${labels[@]}" | tac))
  for label in "${order[@]}"; do
    load=$(cut -d' ' -f1-3 /proc/loadavg); snap "$label" >"$base/s0"
    out=$(b "$label" "${row[@]}")
    snap "$label" >"$base/s1"
    python3 - "$label" "$r" "$tck" "$n" "$base/s0" "$base/s1" "$out" "$load" <<'EOF'
import sys, json, collections
label, r, tck, n, f0, f1, out, load = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
def read(f):
    d = collections.defaultdict(lambda: [0, 0, 0])
    for line in open(f):
        m, g, t, v, w = line.rstrip("\n").split("\t")
        d[(m, g)][0] += int(t); d[(m, g)][1] += int(v); d[(m, g)][2] += int(w)
    return d
a, b = read(f0), read(f1)
us = lambda t: t * 1e6 / tck / n
d = {k: tuple(b[k][i] - a.get(k, [0, 0, 0])[i] for i in range(3)) for k in b}
members, waits = collections.Counter(), collections.Counter()
for (m, g), (t, v, w) in d.items(): members[m] += t; waits[m] += w
try:
    j = json.loads(out); l = j["latency_ms"]
    head = "%.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d" % (j["per_second"], l["p50"], l["p99"], j["errors"])
except (ValueError, KeyError):
    head = out
print("%s round %s (load %s): %s; CPU per put %.0f us" % (label, r, load, head, us(sum(members.values()))))
for m, t in members.most_common():
    gs = sorted(((t2, v2, w2, g) for (m2, g), (t2, v2, w2) in d.items() if m2 == m and (t2 > 0 or v2 > 0)), reverse=True)[:6]
    print("  member %s: %.0f us, run-queue wait %.0f us  (%s)" % (m, us(t), waits[m] / 1e3 / n, ", ".join(
        "%s %.0f/%.0fw/%.2fcs" % (g, us(t2), w2 / 1e3 / n, v2 / n) for t2, v2, w2, g in gs)))
EOF
  done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
