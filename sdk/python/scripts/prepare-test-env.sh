#!/usr/bin/env bash
# Builds the SDK's wheel and installs the package into a virtual environment, offline, the way the
# README tells users to: what the SDK's CTest suites then test is the installed package.
#
#   prepare-test-env.sh PYTHON OUT_DIR EXPECTED_VERSION
#
# OUT_DIR/dist holds the wheel (what CI publishes), OUT_DIR/venv the environment the tests run in.
# The venv sees the system's site-packages for the build backend only (Debian: python3-setuptools,
# python3-wheel); the package itself is installed into the venv.
set -euo pipefail

PYTHON="$1"
OUT="$2"
EXPECTED="$3"
SRC="$(cd "$(dirname "$0")/.." && pwd)"

rm -rf "$OUT/src" "$OUT/dist" "$OUT/venv"
mkdir -p "$OUT"
# Build from a copy: setuptools writes build/ and *.egg-info next to the sources.
mkdir "$OUT/src"
cp -r "$SRC/pyproject.toml" "$SRC/README.md" "$SRC/src" "$OUT/src/"

"$PYTHON" -m pip wheel --quiet --no-build-isolation --no-deps --no-index -w "$OUT/dist" "$OUT/src"
wheel=$(ls "$OUT"/dist/agentops_monitor-"$EXPECTED"-py3-none-any.whl)
listing=$("$PYTHON" -m zipfile -l "$wheel")
for f in agentops_monitor/__init__.py agentops_monitor/py.typed \
    "agentops_monitor-$EXPECTED.dist-info/METADATA"; do
    grep -q " *$f " <<<"$listing" || { echo "the wheel lacks $f" >&2; exit 1; }
done
if grep -q "tests/\|examples/" <<<"$listing"; then
    echo "the wheel carries tests or examples" >&2
    exit 1
fi
metadata=$("$PYTHON" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' \
    "$wheel" "agentops_monitor-$EXPECTED.dist-info/METADATA")
grep -q "^Requires-Python: >=3.9" <<<"$metadata" ||
    { echo "the wheel's metadata lacks Requires-Python: >=3.9" >&2; exit 1; }

"$PYTHON" -m venv --system-site-packages "$OUT/venv"
"$OUT/venv/bin/pip" install --quiet --no-build-isolation --no-index "$OUT/src"
version=$(cd "$OUT" && "$OUT/venv/bin/python" -c '
import agentops_monitor, importlib.metadata, sys
assert agentops_monitor.__file__.startswith(sys.prefix), agentops_monitor.__file__
assert importlib.metadata.version("agentops-monitor") == agentops_monitor.__version__
print(agentops_monitor.__version__)')
[ "$version" = "$EXPECTED" ] || { echo "installed $version, the project is $EXPECTED" >&2; exit 1; }
echo "built $(basename "$wheel"); installed agentops_monitor $version into $OUT/venv"
