# Sourced by the single-build benchmark scripts (bench-keel-rows.sh, bench-keel-reads.sh,
# bench-cpu.sh, bench-memory.sh): starts a 3-member Keel cluster on loopback from the build in
# $jar_dir (a copy of backend/target's jar and lib/), with the root pom's JVM and member flags, a
# JFR recording per member into $jfr_dir when set, data under $base, and waits until it takes a
# put. Leaves $eps (client endpoints) and PID[1..3] set, and defines b (runs the load tool from
# $bench_dir against the cluster, printing its JSON line). The caller sets jar_dir, bench_dir,
# label, jfr_dir and base, and its own trap. (lib/etcd-cluster.sh does the same for etcd.)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jvm_flags="$(sed -n 's:.*<keel.jvm.flags>\(.*\)</keel.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
# MEMBER_FLAGS (environment) replaces the pom's member flags, e.g. to try GC flags on one build.
member_flags="${MEMBER_FLAGS-$(sed -n 's:.*<keel.member.jvm.flags>\(.*\)</keel.member.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)}"
source "$root/scripts/lib/free-ports.sh"
declare -A C P PID
free_ports 6
read -r 'C[1]' 'C[2]' 'C[3]' 'P[1]' 'P[2]' 'P[3]' <<<"${FREE_PORTS[*]}"
cl="k-1=http://127.0.0.1:${P[1]},k-2=http://127.0.0.1:${P[2]},k-3=http://127.0.0.1:${P[3]}"
eps="127.0.0.1:${C[1]},127.0.0.1:${C[2]},127.0.0.1:${C[3]}"
for i in 1 2 3; do
  c=http://127.0.0.1:${C[$i]}; p=http://127.0.0.1:${P[$i]}
  jfr=(); [[ -n "$jfr_dir" ]] && mkdir -p "$jfr_dir" && jfr=("-XX:StartFlightRecording=filename=$jfr_dir/$label-k$i.jfr,settings=profile,dumponexit=true")
  # shellcheck disable=SC2086 # the flags are space-separated lists by design
  java $jvm_flags $member_flags -Xmx1g "${jfr[@]}" -cp "$(ls $jar_dir/keel-backend-*.jar):$jar_dir/lib/*" io.keel.backend.KeelMain \
    --name k-$i --data-dir $base/k-$i --listen-client-urls $c --advertise-client-urls $c --listen-peer-urls $p \
    --initial-advertise-peer-urls $p --initial-cluster "$cl" --initial-cluster-state new >$base/k-$i.log 2>&1 &
  PID[$i]=$!
done
for _ in $(seq 1 600); do etcdctl --endpoints $eps --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break; sleep 0.2; done
b() { java -Xmx1g -cp "$(ls $bench_dir/keel-bench-*.jar):$bench_dir/lib/*" io.keel.bench.KeelBench --endpoints $eps "$@" 2>&1 | tail -n 1; }
