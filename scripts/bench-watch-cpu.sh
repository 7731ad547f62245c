#!/usr/bin/env bash
# CPU seconds per watch event, Keel or etcd alone: starts a 3-member cluster on loopback (Keel from
# the build in JARDIR, a copy of backend/target's jar and lib/; or the installed etcd), runs the
# side-by-side script's watch row (10 streams x 100 watchers on one key, 1,000 puts = 1,000,000
# events) after two warm-up runs, ROUNDS times, and prints per round the JSON line, the load
# average, the three members' user+system CPU (/proc/PID/stat) per 1,000,000 events, and (Keel)
# the CPU per thread group summed over the members (/proc/PID/task/*/stat, names without digits),
# which says where it went. On a shared machine the rates follow the load; the CPU much less.
#   [PER_STREAM=100] scripts/bench-watch-cpu.sh keel|etcd JARDIR BENCHDIR LABEL [ROUNDS] [JFR_DIR]
set -uo pipefail
sys=$1; jar_dir=$2; bench_dir=$3; label=$4; rounds=${5:-3}; jfr_dir=${6:-}
base=$(mktemp -d /tmp/keel-watchcpu.XXXXXX)
trap 'for i in 1 2 3; do kill "${PID[$i]:-}" 2>/dev/null; done; wait; rm -rf "$base"' EXIT
tck=$(getconf CLK_TCK)
if [[ $sys == keel ]]; then
  source "$(dirname "${BASH_SOURCE[0]}")/lib/keel-cluster.sh"
else
  fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
  declare -A C P PID
  for i in 1 2 3; do C[$i]=$(fp); P[$i]=$(fp); done
  cl="e-1=http://127.0.0.1:${P[1]},e-2=http://127.0.0.1:${P[2]},e-3=http://127.0.0.1:${P[3]}"
  eps="127.0.0.1:${C[1]},127.0.0.1:${C[2]},127.0.0.1:${C[3]}"
  for i in 1 2 3; do
    c=http://127.0.0.1:${C[$i]}; p=http://127.0.0.1:${P[$i]}
    etcd --name e-$i --data-dir $base/e-$i --listen-client-urls $c --advertise-client-urls $c --listen-peer-urls $p \
      --initial-advertise-peer-urls $p --initial-cluster "$cl" --initial-cluster-state new \
      --initial-cluster-token wcpu --logger zap >$base/e-$i.log 2>&1 &
    PID[$i]=$!
  done
  for _ in $(seq 1 600); do etcdctl --endpoints $eps --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break; sleep 0.2; done
  b() { java -Xmx1g -cp "$(ls $bench_dir/keel-bench-*.jar):$bench_dir/lib/*" io.keel.bench.KeelBench --endpoints $eps "$@" 2>&1 | tail -n 1; }
fi
# "name ticks" per thread of the three members, digits stripped from the names
threads() { for i in 1 2 3; do for t in /proc/${PID[$i]}/task/*/stat; do
  sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\1\t\2/' "$t" 2>/dev/null | awk -F'\t' '{split($2,f," "); n=$1; gsub(/[0-9]+/,"",n); gsub(/ /,"_",n); print n, f[11]+f[12]}'
done; done; }
total() { local t=0; for i in 1 2 3; do t=$((t + $(awk '{print $14+$15}' /proc/${PID[$i]}/stat))); done; echo "$t"; }
watch=(watch --streams 10 --watch-per-stream "${PER_STREAM:-100}" --put-total 1000 --clients 10 --conns 10 --timeout 3m)
b "${watch[@]}" >/dev/null; b "${watch[@]}" >/dev/null  # warm-up (and the JIT, for Keel)
for r in $(seq 1 "$rounds"); do
  load=$(cut -d' ' -f1-3 /proc/loadavg); t0=$(total); threads >"$base/t0"
  out=$(b "${watch[@]}")
  t1=$(total); threads >"$base/t1"
  events=$(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(int(j.get("events_expected") or 1000000))' "$out" 2>/dev/null || echo 1000000)
  echo "$label round $r load $load: $out"
  python3 - "$label" "$r" "$tck" "$t0" "$t1" "$base/t0" "$base/t1" "$events" <<'EOF'
import sys, collections
label, r, tck, t0, t1, f0, f1, events = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7], int(sys.argv[8])
per_m = 1e6 / events
print("%s round %s members_cpu_s=%.2f per_1M_events=%.2f" % (label, r, (t1 - t0) / tck, (t1 - t0) / tck * per_m))
def load(f):
    d = collections.Counter()
    for line in open(f):
        n, t = line.rsplit(" ", 1); d[n] += int(t)
    return d
a, b = load(f0), load(f1)
diff = sorted(((b[k] - a.get(k, 0)) / tck, k) for k in b if b[k] - a.get(k, 0) > 0)
print("%s round %s threads: %s" % (label, r, ", ".join("%s %.2f" % (k, v) for v, k in reversed(diff[-12:]))))
EOF
done
echo "$label load $(cut -d' ' -f1-3 /proc/loadavg)"
