#!/usr/bin/env bash
# Installs every Debian package that building, running and testing AgentOps Monitor needs.
# Safe to run again; needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # Qt 6 (widgets, charts, test, translations) and the OS keychain binding
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools qt6-translations-l10n qtkeychain-qt6-dev libgl-dev libqt6opengl6-dev qt6-qpa-plugins
  # core libraries
  libboost1.81-dev nlohmann-json3-dev libsqlite3-dev libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libre2-dev zlib1g-dev libsodium-dev libcurl4-openssl-dev libssl-dev libpqxx-dev libarchive-dev
  # test services and tools
  postgresql sqlite3 xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  # ss: the sockets of a gRPC test port, printed when a first connection closes (tst_grpcreceiver)
  iproute2
  # the desktop's light/dark setting as GNOME keeps it (theme test: gsettings over dconf)
  libglib2.0-bin dconf-gsettings-backend dconf-service gsettings-desktop-schemas
  fonts-dejavu-core fonts-noto-cjk curl openssl
  # the Python SDK (sdk/python): its build backend, the venv its tests install it into, its lint
  python3 python3-venv python3-pip python3-setuptools python3-wheel mypy black flake8
  # formatting and static analysis (scripts/format.sh, scripts/analyze.sh)
  clang-format clang-tidy clazy
  # package checks (scripts/package-check.sh)
  lintian desktop-file-utils appstream dpkg-dev file
  # coverage figures (scripts/coverage.sh)
  gcovr
)

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# Node.js runs the interop tests with real OpenTelemetry exporters and agent frameworks.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# The frameworks the interop tests run (Google ADK among them) need Node.js 20.16 or newer; Debian 12's
# own package is 18. Say so now rather than fail in the middle of the tests.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=16)?0:1)'; then
  echo "Node.js $(node --version) is too old for the interop tests: install Node.js 20.16 or newer" >&2
  exit 1
fi
echo "dependencies installed"
