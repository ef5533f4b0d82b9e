#!/usr/bin/env bash
# Resident bytes per key of mokad's storage engine next to what it is built on: the payload
# alone, a plain hash map, and a moka cache built as mokad builds its shards. Each holds the
# same keys (16 bytes) and values (100 bytes by default) in a fresh process, with the
# allocator the server uses. This separates what moka costs by itself from what mokad adds,
# which the memory target of scripts/bench.sh compares against Redis (about 208 bytes/key).
#
#   scripts/memory-floor.sh [KEYS] [VALUE_LEN]
set -euo pipefail
cd "$(dirname "$0")/.."
keys=${1:-1000000}
value_len=${2:-100}
cargo build --quiet --release -p mokad --example memory_floor
echo "| store | keys | value bytes | RSS bytes/key |"
echo "|---|---:|---:|---:|"
for what in raw map moka moka-inline storage; do
    target/release/examples/memory_floor "$what" "$keys" "$value_len" | awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}'
done
