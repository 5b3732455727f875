#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned dependencies.
# Re-installs only when requirements.in or constraints.txt changed (a stamp file records their hash).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
stamp="$VENV/.installed"
want=$(cat requirements.in constraints.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
if [ ! -x "$VENV/bin/python" ]; then
  py=$(scripts/find_python.sh)
  echo "==> Creating $VENV with $py"
  "$py" -m venv "$VENV"
fi
echo "==> Installing pinned dependencies (about 1-2 minutes on a fresh machine)"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade "pip==24.2"
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar on \
  -r requirements.in -c constraints.txt

"$VENV/bin/python" -m pip check
echo "$want" > "$stamp"
