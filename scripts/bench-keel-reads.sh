#!/usr/bin/env bash
# Keel alone (3 members on loopback), the side-by-side script's read and watch rows at their full
# totals (range l and s with 100 clients / 10 conns, watch fan-out to 1,000 watchers), ROUNDS rounds
# (default 2), from a given build: copy backend/target/keel-backend-*.jar and backend/target/lib into
# JARDIR (likewise bench's jar and lib into BENCHDIR) for each build to compare, then run this once
# per build, back to back. Prints the load average and, per row and round, one JSON line and the
# CPU time the three members and the load tool spent on it (ms): on a shared machine the rates
# swing with the load, the CPU per request much less.
#   scripts/bench-keel-reads.sh JARDIR BENCHDIR LABEL [JFR_DIR] [ROUNDS]
set -uo pipefail
jar_dir=$1; bench_dir=$2; label=$3; jfr_dir=${4:-}; rounds=${5:-2}
base=$(mktemp -d /tmp/keel-reads.XXXXXX)
# The trap first: members started by the helper are stopped however it ends.
trap 'for i in 1 2 3; do kill "${PID[$i]:-}" 2>/dev/null; done; wait; rm -rf "$base"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib/keel-cluster.sh"
tck=$(getconf CLK_TCK)
# user+system CPU of the three members (and of this script's finished children: the load tool), in ms
members_cpu() { local t=0; for i in 1 2 3; do t=$((t + $(awk '{print $14+$15}' /proc/${PID[$i]}/stat))); done; echo $((t * 1000 / tck)); }
# write system calls of the three members (socket writes, mostly: /proc/PID/io)
members_writes() { local t=0; for i in 1 2 3; do t=$((t + $(awk '/^syscw/{print $2}' /proc/${PID[$i]}/io))); done; echo $t; }
# `times` must run in this shell (not in $(...)): its second line is this shell's waited children
children_cpu() { times > "$base/times"; tail -n 1 "$base/times" | awk '{split($1,u,"m"); split($2,s,"m"); printf "%d", (u[1]*60+u[2]+s[1]*60+s[2])*1000}'; }
row() { local name=$1; shift; local m0 c0 w0 out; m0=$(members_cpu); w0=$(members_writes); children_cpu >/dev/null; c0=$(tail -n 1 "$base/times" | awk '{split($1,u,"m"); split($2,s,"m"); printf "%d", (u[1]*60+u[2]+s[1]*60+s[2])*1000}')
  out=$(b "$@"); echo "$label $name $out"; local m1; m1=$(members_cpu); times > "$base/times"
  echo "$label $name-cpu members_ms=$(( m1 - m0 )) members_write_calls=$(( $(members_writes) - w0 )) tool_ms=$(( $(tail -n 1 "$base/times" | awk '{split($1,u,"m"); split($2,s,"m"); printf "%d", (u[1]*60+u[2]+s[1]*60+s[2])*1000}') - c0 ))"; }
etcdctl --endpoints $eps put foo bar >/dev/null
b range foo --consistency s --total 5000 --clients 100 --conns 10 >/dev/null  # warm-up
b watch --streams 10 --watch-per-stream 100 --put-total 200 --clients 10 --conns 10 --timeout 3m >/dev/null
for _ in $(seq 1 "$rounds"); do
echo "$label load $(cut -d' ' -f1-3 /proc/loadavg)"
row range-l range foo --consistency l --total 20000 --clients 100 --conns 10
row range-s range foo --consistency s --total 20000 --clients 100 --conns 10
row watch-1000 watch --streams 10 --watch-per-stream 100 --put-total 1000 --clients 10 --conns 10 --timeout 3m
done
echo "$label load $(cut -d' ' -f1-3 /proc/loadavg)"
