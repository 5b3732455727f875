#!/usr/bin/env bash
# Runs every test. Installs (apt) and starts what the tests need on a fresh machine, on loopback,
# and stops it afterwards (scripts/services.sh). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
export TRYGG_TEST_REQUIRE_ALL=1   # a missing service fails the tests instead of skipping them

echo "==> Running the tests"
"$PY" -m pytest "$@"
