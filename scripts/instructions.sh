#!/usr/bin/env bash
# Instructions per operation of one mokad binary under one redis-benchmark test, counted by
# callgrind: repeatable on a shared, noisy machine where CPU time is not, so small changes to
# the hot path can be compared (A/B) before the full side-by-side run of scripts/bench.sh.
#
#   scripts/instructions.sh BINARY [REQUESTS] -- REDIS-BENCHMARK-ARGS...
#   scripts/instructions.sh target/release/mokad 100000 -- -P 16 set key:__rand_int__ vvvv
#
# The server runs under valgrind with --threads 1; 100k keys are loaded first (SET -P 16,
# 100-byte values, key:__rand_int__ over 100k), counters are zeroed, then the test runs with
# 50 clients over the same keyspace. Counts include every thread (the janitor too) but not the
# kernel: syscalls cost time callgrind does not see.
set -euo pipefail
bin=$1; shift
requests=100000
if [ "${1:-}" != "--" ]; then requests=$1; shift; fi
[ "${1:-}" = "--" ] && shift
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
command -v redis-benchmark >/dev/null || { echo "needs redis-benchmark (apt-get install redis-tools)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --callgrind-out-file="$work/out.%p" "$bin" --port "$port" --threads 1 >/dev/null 2>"$work/valgrind.log" &
vpid=$!
trap 'kill $vpid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
redis-benchmark -p "$port" -c 50 -n 100000 -P 16 -r 100000 -d 100 -t set -q >/dev/null 2>&1
callgrind_control -z "$vpid" >/dev/null 2>&1
redis-benchmark -p "$port" -c 50 -n "$requests" -r 100000 -d 100 -q "$@" >/dev/null 2>&1
callgrind_control -d "$vpid" >/dev/null 2>&1
sleep 0.5
total=$(grep -hE '^(summary|totals):' "$work"/out.* | head -1 | awk '{print $2}')
echo "$(basename "$bin") | $* | $((total / requests)) instructions/op"
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
wait "$vpid" 2>/dev/null || true
