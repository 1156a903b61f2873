#!/usr/bin/env bash
# Prepare the Pyodide test (tests/test_pyodide.py): Node with the npm package pyodide, and the
# pure-Python wheels micropip installs from a local folder (no network inside Pyodide).
#
#   bash tools/pyodide/prepare.sh
#
# Installs Node and npm from Debian when they are missing (as root, on a machine with apt-get),
# then `npm ci` here (node_modules/pyodide, pinned in package-lock.json), a small virtual
# environment here (.venv, with pip and hatchling to build debiteuren's own wheel at test time)
# and the wheels of wheels.txt in wheels/. Everything it makes is ignored by git.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "Node.js en npm ontbreken; installeer ze (Debian: apt install nodejs npm)." >&2
    exit 1
  fi
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install -q --disable-pip-version-check "hatchling>=1.21"
rm -rf "$here/wheels"
"$here/.venv/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary=:all: \
  --python-version 3.12 --implementation py -d "$here/wheels" -r "$here/wheels.txt"
echo "Pyodide-test klaar: $(ls "$here/wheels" | wc -l) wheels in $here/wheels."
