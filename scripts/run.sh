#!/usr/bin/env bash
# Builds AgentOps Monitor and starts it on this machine with the embedded SQLite store.
# Extra arguments go to the program (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
cmake --preset ci >/dev/null
cmake --build --preset ci --target agentops-server
exec build/ci/app/server/agentops-server "$@"
