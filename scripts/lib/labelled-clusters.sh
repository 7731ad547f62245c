# Sourced by the scripts that measure several 3-member clusters at once (bench-put-cpu.sh,
# bench-watch-cpu.sh, bench-ab.sh): each SPEC is LABEL:keel:JARDIR[:FLAGS] (JARDIR a copy of backend/target's
# jar and lib/, run with the root pom's JVM and member flags, MEMBER_FLAGS replacing the latter, plus
# FLAGS comma-separated and KEEL_EXTRA_FLAGS) or LABEL:etcd (the installed etcd). Members are
# LABEL-1..3 on free loopback ports, data under $base; JFR_DIR records a JFR profile per Keel member.
# start_clusters SPEC... starts them all, then waits until each takes a put (start_cluster LABEL SYS
# JARDIR [FLAGS] and wait_until_ready do the two halves, for a caller that sets member_flags per
# cluster). Leaves labels (in SPEC
# order), EPS[label] (client endpoints), MPIDS[label] (member pids), SYS[label] (keel|etcd) and
# pids (for the caller's trap), and defines b LABEL ARGS... (runs the load tool from $bench_dir
# against that cluster, printing its JSON line). The caller sets root, base and bench_dir.
jvm_flags="$(sed -n 's:.*<keel.jvm.flags>\(.*\)</keel.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)"
member_flags="${MEMBER_FLAGS-$(sed -n 's:.*<keel.member.jvm.flags>\(.*\)</keel.member.jvm.flags>.*:\1:p' "$root/pom.xml" | head -n 1)}"
source "$root/scripts/lib/free-ports.sh"
declare -A EPS MPIDS SYS
labels=()
pids=()

start_cluster() { # label sys jardir [extra member flags, comma-separated]
  local label=$1 sys=$2 dir=$3 extra=${4:-} i c p cl="" eps="" mp=""
  extra=${extra//,/ }
  declare -A C P
  free_ports 6
  read -r 'C[1]' 'C[2]' 'C[3]' 'P[1]' 'P[2]' 'P[3]' <<<"${FREE_PORTS[*]}"
  for i in 1 2 3; do cl+="${cl:+,}$label-$i=http://127.0.0.1:${P[$i]}"; eps+="${eps:+,}127.0.0.1:${C[$i]}"; done
  for i in 1 2 3; do
    c=http://127.0.0.1:${C[$i]}; p=http://127.0.0.1:${P[$i]}
    local flags=(--name "$label-$i" --data-dir "$base/$label-$i" --listen-client-urls "$c" --advertise-client-urls "$c"
      --listen-peer-urls "$p" --initial-advertise-peer-urls "$p" --initial-cluster "$cl" --initial-cluster-state new)
    if [[ $sys == keel ]]; then
      local jfr=()
      [[ -n "${JFR_DIR:-}" ]] && mkdir -p "$JFR_DIR" && jfr=("-XX:StartFlightRecording=filename=$JFR_DIR/$label-$i.jfr,settings=profile,dumponexit=true")
      # shellcheck disable=SC2086 # the flags are space-separated lists by design
      java $jvm_flags $member_flags $extra ${KEEL_EXTRA_FLAGS:-} -Xmx1g "${jfr[@]}" \
        -cp "$(ls "$dir"/keel-backend-*.jar):$dir/lib/*" io.keel.backend.KeelMain "${flags[@]}" >"$base/$label-$i.log" 2>&1 &
    else
      etcd "${flags[@]}" --initial-cluster-token "$label" --logger zap >"$base/$label-$i.log" 2>&1 &
    fi
    pids+=($!); mp+="${mp:+ }$!"
  done
  EPS[$label]=$eps; MPIDS[$label]=$mp; SYS[$label]=$sys; labels+=("$label")
}

start_clusters() { # SPEC...
  local spec label sys dir extra
  for spec in "$@"; do IFS=: read -r label sys dir extra <<<"$spec"; start_cluster "$label" "$sys" "${dir:-}" "${extra:-}"; done
  wait_until_ready
}

wait_until_ready() { # every cluster started so far takes a put (up to 2 minutes each)
  local label
  for label in "${labels[@]}"; do
    for _ in $(seq 1 600); do
      etcdctl --endpoints "${EPS[$label]}" --dial-timeout=1s --command-timeout=2s put ready 1 >/dev/null 2>&1 && break
      sleep 0.2
    done
  done
}

b() { local label=$1; shift
  java -Xmx1g -cp "$(ls "$bench_dir"/keel-bench-*.jar):$bench_dir/lib/*" io.keel.bench.KeelBench --endpoints "${EPS[$label]}" "$@" 2>&1 | tail -n 1; }
