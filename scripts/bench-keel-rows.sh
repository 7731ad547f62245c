#!/usr/bin/env bash
# Keel alone (3 members on loopback), the side-by-side script's put / txn-put / range rows with half
# their totals, two rounds, from a given build: copy backend/target/keel-backend-*.jar and
# backend/target/lib into JARDIR (likewise bench's jar and lib into BENCHDIR) for each build to
# compare, then run this once per build, back to back. Prints one JSON line per row and round.
#   scripts/bench-keel-rows.sh JARDIR BENCHDIR LABEL [JFR_DIR]
set -uo pipefail
jar_dir=$1; bench_dir=$2; label=$3; jfr_dir=${4:-}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jvm_flags="$(sed -n 's:.*<keel.jvm.flags>\(.*\)</keel.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
member_flags="$(sed -n 's:.*<keel.member.jvm.flags>\(.*\)</keel.member.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
base=$(mktemp -d /tmp/keel-rows.XXXXXX)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
declare -A C P PID
for i in 1 2 3; do C[$i]=$(fp); P[$i]=$(fp); done
cl="k-1=http://127.0.0.1:${P[1]},k-2=http://127.0.0.1:${P[2]},k-3=http://127.0.0.1:${P[3]}"
eps="127.0.0.1:${C[1]},127.0.0.1:${C[2]},127.0.0.1:${C[3]}"
for i in 1 2 3; do
  c=http://127.0.0.1:${C[$i]}; p=http://127.0.0.1:${P[$i]}
  jfr=(); [[ -n "$jfr_dir" ]] && mkdir -p "$jfr_dir" && jfr=("-XX:StartFlightRecording=filename=$jfr_dir/$label-k$i.jfr,settings=profile,dumponexit=true")
  java $jvm_flags $member_flags -Xmx1g "${jfr[@]}" -cp "$(ls $jar_dir/keel-backend-*.jar):$jar_dir/lib/*" io.keel.backend.KeelMain \
    --name k-$i --data-dir $base/k-$i --listen-client-urls $c --advertise-client-urls $c --listen-peer-urls $p \
    --initial-advertise-peer-urls $p --initial-cluster "$cl" --initial-cluster-state new >$base/k-$i.log 2>&1 &
  PID[$i]=$!
done
trap 'for i in 1 2 3; do kill ${PID[$i]} 2>/dev/null; done; wait' EXIT
for _ in $(seq 1 600); do etcdctl --endpoints $eps --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break; sleep 0.2; done
b() { java -Xmx1g -cp "$(ls $bench_dir/keel-bench-*.jar):$bench_dir/lib/*" io.keel.bench.KeelBench --endpoints $eps "$@" 2>&1 | tail -n 1; }
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
b put --total 3000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader >/dev/null  # warm-up
for row in 1 2; do
echo "$label put-1 $(b put --total 1000 --clients 1 --conns 1 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)"
echo "$label put-100 $(b put --total 10000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)"
echo "$label txn-put $(b txn-put --total 5000 --clients 100 --conns 10 --key-size 8 --val-size 256 --key-space-size 100000 --target-leader)"
etcdctl --endpoints $eps put foo bar >/dev/null
echo "$label range-l $(b range foo --consistency l --total 10000 --clients 100 --conns 10)"
echo "$label range-s $(b range foo --consistency s --total 10000 --clients 100 --conns 10)"
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
