#!/usr/bin/env bash
# Benchmarks mokad against redis-server, side by side, one core each.
#
#   scripts/bench.sh                  # full run: 3 rounds of every part (~30 min)
#   scripts/bench.sh --quick          # 1 round, smaller sizes (a few minutes)
#   scripts/bench.sh --parts memory,stalls --rounds 1
#   scripts/bench.sh --out /tmp/b.md  # write the report elsewhere ('-' for nowhere)
#
# It builds mokad and the load generator (crates/mokad-bench) in release mode, installs
# Debian's redis-server and redis-tools (redis-benchmark) if they are missing, then runs
# mokad-bench pinned to core 1; it starts each server pinned to core 0 (mokad with
# --threads 1), alternating the servers round by round. Parts: throughput (redis-benchmark),
# memory (RSS per key), hitratio (cache-aside Zipf replay), stalls (FLUSHDB, mass expiry,
# eviction). The tables go to stdout and to docs/benchmarks.md; logs and raw per-round
# numbers to target/bench/<timestamp>/. Everything runs on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==== %s\n' "$*" >&2; }

ensure_debian_packages() {
    local missing=()
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
    command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
        # The Debian package starts a system redis-server on 6379; the suite starts its own.
        $sudo systemctl stop redis-server >/dev/null 2>&1 || true
    fi
}

ensure_debian_packages

log "building mokad and mokad-bench (release)"
cargo build --release --locked -p mokad -p mokad-bench

client_core=1
if [ "$(nproc)" -lt 2 ]; then
    echo "warning: fewer than 2 cores; the server and the load generator will share one" >&2
    client_core=0
fi

log "running the benchmark suite"
exec taskset -c "$client_core" target/release/mokad-bench --mokad target/release/mokad --client-core "$client_core" "$@"
