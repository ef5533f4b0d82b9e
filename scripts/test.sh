#!/usr/bin/env bash
# Runs every test of mokad: the Rust workspace tests (unit and end-to-end against the real
# binary with the redis crate and redis-cli), then the Python suites against the real binary:
# the differential compatibility suite (mokad vs redis-server, byte for byte), the everyday
# Django cache patterns, and Django 5.2's own cache test suite.
#
# It installs what it needs on a fresh Debian machine: redis-server and redis-tools (for the
# reference server and redis-cli), and a Python venv in .venv with the pinned packages of
# tests/requirements.txt. Exit status is non-zero if any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n==== %s\n' "$*"; }

ensure_debian_packages() {
    local missing=()
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq || return 1
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || return 1
        # The Debian package starts a system redis-server on 6379; the tests start their own.
        $sudo systemctl stop redis-server >/dev/null 2>&1 || true
    fi
}

ensure_venv() {
    local stamp=.venv/.requirements.sha256
    local want
    want=$(sha256sum tests/requirements.txt | cut -d' ' -f1)
    if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        log "creating Python venv with tests/requirements.txt"
        python3 -m venv .venv || return 1
        .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt || return 1
        echo "$want" > "$stamp"
    fi
}

failures=()
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
run() {
    local name=$1
    shift
    log "$name"
    if "$@" 2>&1 | tee "$LOGS/$(echo "$name" | tr -c 'a-zA-Z0-9\n' _).log"; then
        echo "---- $name: ok"
    else
        echo "---- $name: FAILED"
        failures+=("$name")
    fi
}

# Sums the tests every suite ran, from the runners' own summary lines.
count_tests() {
    cat "$LOGS"/*.log | awk '
        /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i } }
        /^[0-9]+ (passed|failed).* in [0-9.]+s/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^(failed|errors?)/) f += $i } }
        /^(Redis backend|Other cache) tests/ { for (i = 1; i <= NF; i++) { if ($i == "passed") p += $(i+1); if ($i == "failed") f += $(i+1) } }
        END { printf "total: %d passed, %d failed\n", p, f }'
}

ensure_debian_packages || { echo "could not install redis-server/redis-tools"; exit 1; }
ensure_venv || { echo "could not create the Python venv"; exit 1; }

log "building mokad"
cargo build --workspace --locked || exit 1
export MOKAD_BIN="$ROOT/target/debug/mokad"

run "cargo test --workspace" cargo test --workspace --locked
run "compatibility suite (mokad vs redis-server)" .venv/bin/python -m pytest tests/compat -q -p no:cacheprovider
run "Django cache patterns" .venv/bin/python -m pytest tests/django/test_patterns.py -q -p no:cacheprovider
run "django-redis backend" .venv/bin/python -m pytest tests/django/test_django_redis.py -q -p no:cacheprovider
run "redis-py client patterns" .venv/bin/python -m pytest tests/clients -q -p no:cacheprovider
run "Django 5.2 cache test suite" .venv/bin/python tests/django/run_django_suite.py

log "summary"
if [ ${#failures[@]} -eq 0 ]; then
    echo "all suites passed"
    count_tests
    exit 0
fi
printf 'failed suite: %s\n' "${failures[@]}"
count_tests
exit 1
