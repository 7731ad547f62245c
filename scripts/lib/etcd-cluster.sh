# Sourced by the benchmark scripts that measure a 3-member etcd beside Keel (bench-cpu.sh,
# bench-memory.sh): starts etcd (Debian's etcd-server) on loopback with free ports and its data
# under $base, members e-1..e-3, cluster token $etcd_token (default "bench"). Leaves $eeps (client
# endpoints) and EPID[1..3] set; the caller waits until it takes a put, and stops it in its trap.
# shellcheck source=scripts/lib/free-ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-ports.sh"
declare -A EC EP EPID
free_ports 6
read -r 'EC[1]' 'EC[2]' 'EC[3]' 'EP[1]' 'EP[2]' 'EP[3]' <<<"${FREE_PORTS[*]}"
ecl="e-1=http://127.0.0.1:${EP[1]},e-2=http://127.0.0.1:${EP[2]},e-3=http://127.0.0.1:${EP[3]}"
eeps="127.0.0.1:${EC[1]},127.0.0.1:${EC[2]},127.0.0.1:${EC[3]}"
for i in 1 2 3; do
  c=http://127.0.0.1:${EC[$i]}; p=http://127.0.0.1:${EP[$i]}
  etcd --name e-$i --data-dir "$base/e-$i" --listen-client-urls "$c" --advertise-client-urls "$c" \
    --listen-peer-urls "$p" --initial-advertise-peer-urls "$p" --initial-cluster "$ecl" \
    --initial-cluster-state new --initial-cluster-token "${etcd_token:-bench}" --logger zap >"$base/e-$i.log" 2>&1 &
  EPID[$i]=$!
done
