#!/usr/bin/env bash
# Instructions per operation of one server binary under one redis-benchmark test, counted by
# callgrind: repeatable on a shared, noisy machine where CPU time is not, so small changes to
# the hot path can be compared (A/B) before the full side-by-side run of scripts/bench.sh.
#
#   scripts/instructions.sh [--cache] BINARY [REQUESTS] -- REDIS-BENCHMARK-ARGS...
#   scripts/instructions.sh target/release/mokad 100000 -- -P 16 set key:__rand_int__ vvvv
#   scripts/instructions.sh --cache "$(command -v redis-server)" -- -P 16 -t get
#
# BINARY is mokad (run with --threads 1) or redis-server (run without persistence). The server
# runs under valgrind; 100k keys are loaded first (SET -P 16, 100-byte values,
# key:__rand_int__ over 100k), counters are zeroed, then the test runs with 50 clients over
# the same keyspace. Counts include every thread (mokad's janitor too) but not the kernel:
# syscalls cost time callgrind does not see.
#
# --cache also simulates the L1 caches (32 KiB each for instructions and data) and prints
# their misses per operation. Instructions alone do not explain CPU time: a server that runs
# fewer instructions but misses the cache more often can still be the slower one.
set -euo pipefail
cache=()
if [ "${1:-}" = "--cache" ]; then cache=(--cache-sim=yes); shift; fi
bin=$1; shift
requests=100000
if [ "${1:-}" != "--" ]; then requests=$1; shift; fi
[ "${1:-}" = "--" ] && shift
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
command -v redis-benchmark >/dev/null || { echo "needs redis-benchmark (apt-get install redis-tools)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
case "$(basename "$bin")" in
    redis-server*)
        printf 'save ""\nappendonly no\n' >"$work/redis.conf"
        server=("$bin" "$work/redis.conf" --port "$port")
        ;;
    *) server=("$bin" --port "$port" --threads 1) ;;
esac
valgrind --tool=callgrind "${cache[@]}" --callgrind-out-file="$work/out.%p" "${server[@]}" >/dev/null 2>"$work/valgrind.log" &
vpid=$!
trap 'kill $vpid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
redis-benchmark -p "$port" -c 50 -n 100000 -P 16 -r 100000 -d 100 -t set -q >/dev/null 2>&1
callgrind_control -z "$vpid" >/dev/null 2>&1
redis-benchmark -p "$port" -c 50 -n "$requests" -r 100000 -d 100 -q "$@" >/dev/null 2>&1
callgrind_control -d "$vpid" >/dev/null 2>&1
sleep 0.5
# The dump holds one "events:" line naming the counters and one "summary:" line of totals.
dump=$(grep -lE '^(summary|totals):' "$work"/out.* | head -1)
per_op() {
    awk -v want="$1" -v n="$requests" '
        /^events:/ { for (i = 2; i <= NF; i++) col[$i] = i - 1 }
        /^(summary|totals):/ { if (want in col) printf "%d", $(col[want] + 1) / n; else printf "-"; exit }
    ' "$dump"
}
line="$(basename "$bin") | $* | $(per_op Ir) instructions/op"
if [ ${#cache[@]} -gt 0 ]; then
    line="$line | $(per_op I1mr) I1 misses/op | $(( $(per_op D1mr) + $(per_op D1mw) )) D1 misses/op"
fi
echo "$line"
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
wait "$vpid" 2>/dev/null || true
