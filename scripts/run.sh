#!/usr/bin/env bash
# Builds AgentOps Monitor and starts the desktop app with its embedded server (OTLP on
# 127.0.0.1:4318) and SQLite store. `./scripts/run.sh server [options]` starts the headless
# agentops-server instead. Other arguments go to the app (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
cmake --preset ci >/dev/null
if [ "${1:-}" = "server" ]; then
    shift
    cmake --build --preset ci --target agentops-server
    exec build/ci/app/server/agentops-server "$@"
fi
cmake --build --preset ci --target agentops-monitor
exec build/ci/app/desktop/agentops-monitor "$@"
