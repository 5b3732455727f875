#!/usr/bin/env bash
# `make bench`: every benchmark, with the same throwaway PostgreSQL and Redis as the tests.
# Each writes its own section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
"$PY" scripts/bench_places.py --write
"$PY" scripts/bench_booking.py --write
"$PY" scripts/bench_nlu.py --write --form --confusions
"$PY" scripts/bench_widget.py --write
"$PY" scripts/bench_load.py --write
# Trackers expire after 60 s so the soak shows whether anything *else* grows per conversation.
TRYGG_TRACKER_EXPIRY_S=60 "$PY" scripts/bench_soak.py --write
