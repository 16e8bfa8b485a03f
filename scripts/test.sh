#!/usr/bin/env bash
# Builds AgentOps Monitor and runs every test suite (unit, store, HTTP routes, interop with real
# OpenTelemetry exporters, benchmark smoke runs, the function-length rule). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
# Before the long build: no function in app/ and ui/ over 150 lines (ctest runs it again).
python3 scripts/check-function-length.py
# The sources' formatting (clang-format --dry-run --Werror, scripts/format.sh): checked first, reported
# at the end, so that a formatting slip does not hide the tests' results.
format_status=0
./scripts/format.sh --check || format_status=1
export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci -j "$(nproc)"
# Packages: build, lintian, install, run the installed programs, remove (needs root for apt-get).
if [ "$(id -u)" -eq 0 ]; then ./scripts/package-check.sh build/ci; else sudo ./scripts/package-check.sh build/ci; fi
exit $format_status
