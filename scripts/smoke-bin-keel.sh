#!/usr/bin/env bash
# A smoke run of bin/keel, the README's start command, which the test suite does not go through
# (its tests start members with `java` directly). .ci/run calls it after the suite. A single member
# on free loopback ports with its data in a temporary directory: it must print the console line,
# take a put and answer a get through etcdctl, serve the console's page, stop on SIGTERM with the
# JVM's exit code for it (143) after saying it skipped the leadership transfer (a single voter, as
# etcd says), and after a restart from the same data directory still have the key.
#
# With --aot (JDK 25 and later; below that it says so and runs the plain smoke) it first trains
# the AOT cache (scripts/aot-train.sh, ~2 minutes) and also checks that the member runs as the
# benchmarks run it: -XX:AOTCache and -XX:-TieredCompilation on its command line and the cache
# mapped into it (/proc/PID/maps), the cache still in place afterwards (bin/keel drops one older
# than the jar or made by another JVM).
#   scripts/smoke-bin-keel.sh [--aot]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
aot=""
case "${1:-}" in
  --aot) aot=yes ;;
  "") ;;
  *) echo "usage: $0 [--aot]" >&2; exit 2 ;;
esac
base="$(mktemp -d /tmp/keel-smoke.XXXXXX)"
pid=""
cleanup() { [[ -z "$pid" ]] || kill -KILL "$pid" 2>/dev/null || true; rm -rf "$base"; }
trap cleanup EXIT
alive() { # PID -> true while it runs (a child that exited stays a zombie until waited for)
  [[ -r "/proc/$1/stat" ]] && [[ "$(cut -d')' -f2 "/proc/$1/stat" | awk '{print $1}')" != Z ]]
}
log() { echo "[smoke $(date -u +%H:%M:%S)] $*" >&2; }
fail() { log "FAILED: $*"; [[ ! -f "$base/member.log" ]] || tail -n 40 "$base/member.log" >&2; exit 1; }

{ read -r _; read -r feature; } < <("$root/bin/keel-java")
if [[ -n "$aot" ]] && ((feature < 25)); then
  log "bin/keel runs members on JDK $feature here: no AOT cache below 25; the plain smoke only"
  aot=""
fi
if [[ -n "$aot" ]]; then
  log "training the AOT cache"
  "$root/scripts/aot-train.sh"
  [[ -f "$root/backend/target/keel.aot" ]] || fail "scripts/aot-train.sh installed no backend/target/keel.aot"
fi

source "$root/scripts/lib/free-ports.sh"
free_ports 2
client="http://127.0.0.1:${FREE_PORTS[0]}" peer="http://127.0.0.1:${FREE_PORTS[1]}"
ctl() { ETCDCTL_API=3 etcdctl --endpoints "$client" --dial-timeout=2s --command-timeout=5s "$@"; }

start() { # starts the member in the background, returns once it printed the console line
  "$root/bin/keel" --name smoke --data-dir "$base/data" --listen-client-urls "$client" \
    --advertise-client-urls "$client" --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "smoke=$peer" >"$base/member.log" 2>&1 &
  pid=$!
  # bin/keel builds first when the sources are newer than the jar: up to 10 minutes.
  for _ in $(seq 1 3000); do
    grep -q "^keel: admin console at $client/ui/$" "$base/member.log" && return 0
    alive "$pid" || fail "bin/keel exited before it printed the console line"
    sleep 0.2
  done
  fail "no console line from bin/keel within 10 minutes"
}

stop() { # SIGTERM; the member must exit with 143 within a minute
  local code=0
  kill -TERM "$pid"
  for _ in $(seq 1 300); do alive "$pid" || break; sleep 0.2; done
  ! alive "$pid" || fail "the member did not stop within a minute of SIGTERM"
  wait "$pid" || code=$?
  pid=""
  ((code == 143)) || fail "the member exited with $code on SIGTERM, not 143"
  # A single member leads alone: nothing to hand over (etcd's words for it).
  grep -q "^keel: skipped leadership transfer for single voting member cluster$" "$base/member.log" ||
    fail "no line saying the single member skipped the leadership transfer"
  grep -q "^keel: stopped$" "$base/member.log" || fail "no \"keel: stopped\" line"
}

log "starting bin/keel on $client"
start
if [[ -n "$aot" ]]; then
  cmdline="$(tr '\0' ' ' </proc/"$pid"/cmdline)"
  [[ "$cmdline" == *"-XX:AOTCache=$root/backend/target/keel.aot "* ]] || fail "no -XX:AOTCache on the member's command line: $cmdline"
  [[ "$cmdline" == *" -XX:-TieredCompilation "* ]] || fail "no -XX:-TieredCompilation on the member's command line: $cmdline"
  grep -q "/keel.aot$" /proc/"$pid"/maps || fail "the member did not map the AOT cache"
  log "the member maps the AOT cache and runs C2 alone"
fi
value="smoke-$RANDOM$RANDOM"
ctl put smoke-key "$value" >/dev/null || fail "etcdctl put"
[[ "$(ctl get smoke-key --print-value-only)" == "$value" ]] || fail "etcdctl get did not return the value put"
python3 - "$client/ui/" <<'EOF' || fail "the console's page did not answer 200 with HTML"
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    body = r.read().decode("utf-8", "replace")
    sys.exit(0 if r.status == 200 and "<html" in body.lower() else 1)
EOF
stop
log "put, get, console page and SIGTERM: fine; restarting from the same data directory"
start
[[ "$(ctl get smoke-key --print-value-only)" == "$value" ]] || fail "the key was gone after a restart"
stop
if [[ -n "$aot" ]]; then
  [[ -f "$root/backend/target/keel.aot" ]] || fail "bin/keel dropped the AOT cache it had just been given"
fi
log "passed${aot:+ (with the AOT cache)}"
