#!/usr/bin/env bash
# Keel alone (3 members on loopback), the side-by-side script's put / txn-put / range rows with half
# their totals, two rounds, from a given build: copy backend/target/keel-backend-*.jar and
# backend/target/lib into JARDIR (likewise bench's jar and lib into BENCHDIR) for each build to
# compare, then run this once per build, back to back. Prints one JSON line per row and round.
#   scripts/bench-keel-rows.sh JARDIR BENCHDIR LABEL [JFR_DIR]
set -uo pipefail
jar_dir=$1; bench_dir=$2; label=$3; jfr_dir=${4:-}
base=$(mktemp -d /tmp/keel-rows.XXXXXX)
# The trap first: members started by the helper are stopped however it ends.
trap 'for i in 1 2 3; do kill "${PID[$i]:-}" 2>/dev/null; done; wait' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib/keel-cluster.sh"
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
