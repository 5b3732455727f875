#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.8-3.10 only).
# Order: $PYTHON, pyenv's 3.10.x, python3.10 on PATH. Exits 1 with a clear message if none.
set -euo pipefail
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }
if [ -n "${PYTHON:-}" ] && ok "$PYTHON"; then echo "$PYTHON"; exit 0; fi
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    p=$(PYENV_VERSION="$v" pyenv which python3.10 2>/dev/null || true)
    if [ -n "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
  done
fi
if command -v python3.10 >/dev/null 2>&1 && ok "$(command -v python3.10)"; then command -v python3.10; exit 0; fi
echo "ERROR: Python 3.10 not found. Rasa 3.6 needs Python 3.10 (3.8-3.10)." >&2
echo "       Install it (e.g. 'pyenv install 3.10.13') or set PYTHON=/path/to/python3.10." >&2
exit 1
