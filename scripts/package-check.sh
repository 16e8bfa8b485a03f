#!/usr/bin/env bash
# Builds the packages from an already configured and built tree (default build/ci, as
# scripts/test.sh leaves it), checks them with lintian, desktop-file-validate and appstreamcli,
# installs both .deb files with apt-get, runs the installed programs (--version, a smoke run of
# each, a clean stop on SIGTERM) and removes again what it installed. Exits non-zero on the first
# failure, naming it. Needs root (apt-get, dpkg).
#
#   scripts/package-check.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${1:-build/ci}"
START=$(date +%s)
step() { printf '\n== %s\n' "$*"; }
fail() {
    printf '\npackage-check: FAILED: %s\n' "$*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || fail "run as root: it installs the packages with apt-get"
[ -f "$BUILD_DIR/CPackConfig.cmake" ] || fail "$BUILD_DIR is not configured (run scripts/test.sh or cmake --preset ci)"
for tool in cpack lintian desktop-file-validate appstreamcli dpkg-deb curl; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done

VERSION=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$BUILD_DIR/CPackConfig.cmake")
[ -n "$VERSION" ] || fail "no CPACK_PACKAGE_VERSION in $BUILD_DIR/CPackConfig.cmake"
PKG_DIR="$BUILD_DIR/packages"
WORK=$(mktemp -d)
SERVER_PID=""
MONITOR_PID=""
INSTALLED_BY_US=""

cleanup() {
    local status=$?
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    if [ -n "$MONITOR_PID" ]; then kill "$MONITOR_PID" 2>/dev/null || true; fi
    if [ -n "$INSTALLED_BY_US" ]; then
        # Everything that was not installed before the check: our two packages and any dependency
        # apt-get pulled in for them (a list of names: split on purpose).
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $INSTALLED_BY_US >/dev/null 2>&1 ||
            echo "package-check: could not purge: $INSTALLED_BY_US" >&2
    fi
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT

step "building $BUILD_DIR and its packages (version $VERSION)"
cmake --build "$BUILD_DIR" --target agentops-monitor agentops-server >/dev/null
rm -rf "$PKG_DIR"
(cd "$WORK" && cpack --config "$OLDPWD/$BUILD_DIR/CPackConfig.cmake" >cpack.log 2>&1) ||
    { cat "$WORK/cpack.log" >&2; fail "cpack"; }
MONITOR_DEB=$(ls "$PKG_DIR"/agentops-monitor_"$VERSION"_*.deb 2>/dev/null | head -1)
SERVER_DEB=$(ls "$PKG_DIR"/agentops-server_"$VERSION"_*.deb 2>/dev/null | head -1)
SDK_DEB=$(ls "$PKG_DIR"/python3-agentops-monitor_"$VERSION"_all.deb 2>/dev/null | head -1)
TARBALL=$(ls "$PKG_DIR"/agentops-monitor-"$VERSION"-*.tar.gz 2>/dev/null | head -1)
[ -f "$MONITOR_DEB" ] || fail "cpack made no agentops-monitor .deb in $PKG_DIR"
[ -f "$SERVER_DEB" ] || fail "cpack made no agentops-server .deb in $PKG_DIR"
[ -f "$SDK_DEB" ] || fail "cpack made no python3-agentops-monitor .deb in $PKG_DIR"
[ -f "$TARBALL" ] || fail "cpack made no .tar.gz in $PKG_DIR"
ls -l "$MONITOR_DEB" "$SERVER_DEB" "$SDK_DEB" "$TARBALL"

step "package contents"
dpkg-deb --field "$MONITOR_DEB" Depends
dpkg-deb --field "$SERVER_DEB" Depends
# Both programs receive OTLP/gRPC: gRPC C++ is found by dpkg-shlibdeps like the other libraries.
for deb in "$MONITOR_DEB" "$SERVER_DEB"; do
    dpkg-deb --field "$deb" Depends | grep -q 'libgrpc++1\.51' || fail "$(basename "$deb") does not depend on libgrpc++1.51"
done
# Listings go to files first: grep -q would close the pipe early and fail it under pipefail.
dpkg-deb --contents "$MONITOR_DEB" | awk '{print $NF}' >"$WORK/monitor.files"
dpkg-deb --contents "$SERVER_DEB" | awk '{print $NF}' >"$WORK/server.files"
dpkg-deb --contents "$SDK_DEB" | awk '{print $NF}' >"$WORK/sdk.files"
tar -tzf "$TARBALL" >"$WORK/tarball.files"
for f in ./usr/bin/agentops-monitor ./usr/share/applications/org.agentops.Monitor.desktop \
    ./usr/share/metainfo/org.agentops.Monitor.metainfo.xml ./usr/share/icons/hicolor/scalable/apps/org.agentops.Monitor.svg \
    ./usr/share/icons/hicolor/16x16/apps/org.agentops.Monitor.png ./usr/share/icons/hicolor/512x512/apps/org.agentops.Monitor.png \
    ./usr/share/doc/agentops-monitor/copyright ./usr/share/doc/agentops-monitor/changelog.gz \
    ./usr/share/doc/agentops-monitor/README.md ./usr/share/doc/agentops-monitor/docs/troubleshooting.md; do
    grep -qx "$f" "$WORK/monitor.files" || fail "agentops-monitor .deb lacks $f"
done
for f in ./usr/bin/agentops-server ./usr/lib/systemd/system/agentops-server.service ./etc/default/agentops-server \
    ./usr/share/doc/agentops-server/copyright ./usr/share/doc/agentops-server/changelog.gz; do
    grep -qx "$f" "$WORK/server.files" || fail "agentops-server .deb lacks $f"
done
site=./usr/lib/python3/dist-packages
for f in $site/agentops_monitor/__init__.py $site/agentops_monitor/_export.py $site/agentops_monitor/py.typed \
    "$site/agentops_monitor-$VERSION.dist-info/METADATA" ./usr/share/doc/python3-agentops-monitor/copyright \
    ./usr/share/doc/python3-agentops-monitor/changelog.gz ./usr/share/doc/python3-agentops-monitor/README.md; do
    grep -qx "$f" "$WORK/sdk.files" || fail "python3-agentops-monitor .deb lacks $f"
done
if grep -q '__pycache__\|\.pyc$' "$WORK/sdk.files"; then fail "python3-agentops-monitor .deb holds byte code"; fi
[ "$(dpkg-deb --field "$SDK_DEB" Architecture)" = all ] || fail "python3-agentops-monitor is not Architecture: all"
if grep -q 'python3' "$WORK/tarball.files"; then fail "the .tar.gz holds the Python SDK"; fi
[ "$(dpkg-deb --info "$SERVER_DEB" conffiles)" = /etc/default/agentops-server ] ||
    fail "/etc/default/agentops-server is not a conffile"
grep -q '/bin/agentops-monitor$' "$WORK/tarball.files" || fail "the .tar.gz lacks bin/agentops-monitor"
grep -q '/bin/agentops-server$' "$WORK/tarball.files" || fail "the .tar.gz lacks bin/agentops-server"
if grep -q '^[^/]*/etc/' "$WORK/tarball.files"; then fail "the .tar.gz holds files for /etc"; fi

step "lintian"
# Exits non-zero on errors; warnings are printed (docs/packaging.md lists those left and why).
lintian --info --display-level '>=warning' "$MONITOR_DEB" "$SERVER_DEB" "$SDK_DEB" || fail "lintian reports errors"

step "installing the three packages with apt-get"
before=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "$(realpath "$MONITOR_DEB")" "$(realpath "$SERVER_DEB")" "$(realpath "$SDK_DEB")" >"$WORK/apt.log" 2>&1 ||
    { cat "$WORK/apt.log" >&2; fail "apt-get install"; }
after=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
INSTALLED_BY_US=$(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')
# Packages that were installed before (an earlier version) are upgraded, not new: purge them too.
for p in agentops-monitor agentops-server python3-agentops-monitor; do
    case " $INSTALLED_BY_US " in *" $p "*) ;; *) INSTALLED_BY_US="$INSTALLED_BY_US $p" ;; esac
done
echo "installed: $INSTALLED_BY_US"
for bin in /usr/bin/agentops-monitor /usr/bin/agentops-server; do
    case "$(file -L "$bin")" in *", stripped"*) ;; *) fail "$bin is not stripped" ;; esac
done

step "installed desktop entry and metainfo"
desktop-file-validate /usr/share/applications/org.agentops.Monitor.desktop || fail "desktop-file-validate"
appstreamcli validate --no-net /usr/share/metainfo/org.agentops.Monitor.metainfo.xml || fail "appstreamcli validate"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/agentops-server.service || fail "systemd-analyze verify"
fi

step "--version"
got=$(/usr/bin/agentops-monitor --version) || fail "agentops-monitor --version exited $?"
[ "$got" = "AgentOps Monitor $VERSION" ] || fail "agentops-monitor --version printed '$got'"
echo "$got"
got=$(/usr/bin/agentops-server --version) || fail "agentops-server --version exited $?"
[ "$got" = "agentops-server $VERSION" ] || fail "agentops-server --version printed '$got'"
echo "$got"

step "agentops-server smoke run (the packaged options, a free port, a temporary data directory)"
# shellcheck disable=SC1091
AGENTOPS_SERVER_OPTS=$(. /etc/default/agentops-server && echo "${AGENTOPS_SERVER_OPTS:-}")
extra=()
case "$(/usr/bin/agentops-server --help)" in *"--auth "*) extra=(--auth none) ;; esac
# shellcheck disable=SC2086
/usr/bin/agentops-server $AGENTOPS_SERVER_OPTS --data-dir "$WORK/server" --listen 127.0.0.1:0 --grpc-listen 127.0.0.1:0 \
    --log-format text \
    "${extra[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
base=""
for _ in $(seq 100); do
    base=$(grep -so 'listening on http://127.0.0.1:[0-9]*' "$WORK/server.log" | head -1 | sed 's/listening on //') || true
    [ -n "$base" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "agentops-server exited at start"; }
    sleep 0.1
done
[ -n "$base" ] || { cat "$WORK/server.log" >&2; fail "agentops-server did not report its address within 10 s"; }
curl -fsS "$base/healthz" >/dev/null || fail "GET $base/healthz"
trace_id=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
span_id=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
now=$(date +%s%N)
curl -fsS -H 'Content-Type: application/json' "$base/v1/traces" --data-binary @- >/dev/null <<EOF || fail "POST $base/v1/traces"
{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"package-check"}}]},
 "scopeSpans":[{"scope":{"name":"package-check"},"spans":[{"traceId":"$trace_id","spanId":"$span_id",
 "name":"installed server","kind":1,"startTimeUnixNano":"$((now - 1000000))","endTimeUnixNano":"$now"}]}]}]}
EOF
trace=$(curl -fsS "$base/api/v1/traces/$trace_id") || fail "GET $base/api/v1/traces/$trace_id"
case "$trace" in *'"installed server"'*) ;; *) fail "GET $base/api/v1/traces/$trace_id does not return the span sent" ;; esac
# The installed Python SDK, imported by Debian's python3 from outside any source tree, sends a trace.
sdk_trace=$(cd "$WORK" && AGENTOPS_ENDPOINT="$base" /usr/bin/python3 -c '
import importlib.metadata, agentops_monitor as aom
assert aom.__file__.startswith("/usr/lib/python3/dist-packages/"), aom.__file__
assert importlib.metadata.version("agentops-monitor") == aom.__version__
aom.init(service_name="package-check")
with aom.agent("installed_sdk") as a:
    with aom.tool("lookup", arguments={"q": 1}) as t:
        t.set_result(2)
assert aom.flush(10), aom.stats()
print(a.trace_id)') || fail "the installed Python SDK"
trace=$(curl -fsS "$base/api/v1/traces/$sdk_trace") || fail "GET $base/api/v1/traces/$sdk_trace"
for name in '"invoke_agent installed_sdk"' '"execute_tool lookup"'; do
    case "$trace" in *"$name"*) ;; *) fail "the installed Python SDK's trace lacks $name: $trace" ;; esac
done
echo "the installed Python SDK sent a trace of 2 spans"
kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=""
[ "$status" -eq 0 ] || { cat "$WORK/server.log" >&2; fail "agentops-server exited $status on SIGTERM"; }
echo "received, stored and served one span at $base; stopped on SIGTERM with 0"
if [ ${#extra[@]} -gt 0 ]; then
    # With the packaged options alone the server requires API keys: it serves /healthz but refuses
    # an OTLP request that carries none.
    # shellcheck disable=SC2086
    /usr/bin/agentops-server $AGENTOPS_SERVER_OPTS --data-dir "$WORK/server-auth" --listen 127.0.0.1:0 \
        --grpc-listen 127.0.0.1:0 --log-format text >"$WORK/server-auth.log" 2>&1 &
    SERVER_PID=$!
    base=""
    for _ in $(seq 100); do
        base=$(grep -so 'listening on http://127.0.0.1:[0-9]*' "$WORK/server-auth.log" | head -1 | sed 's/listening on //') || true
        [ -n "$base" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server-auth.log" >&2; fail "agentops-server (packaged options) exited at start"; }
        sleep 0.1
    done
    [ -n "$base" ] || fail "agentops-server (packaged options) did not report its address within 10 s"
    curl -fsS "$base/healthz" >/dev/null || fail "GET $base/healthz (packaged options)"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        --data '{"resourceSpans":[]}' "$base/v1/traces")
    [ "$code" = 401 ] || fail "with the packaged options, OTLP without an API key answered $code, not 401"
    kill -TERM "$SERVER_PID"
    status=0
    wait "$SERVER_PID" || status=$?
    SERVER_PID=""
    [ "$status" -eq 0 ] || fail "agentops-server (packaged options) exited $status on SIGTERM"
    echo "with the packaged options it requires an API key (401 without one)"
fi

step "agentops-monitor smoke run (offscreen)"
export QT_QPA_PLATFORM=offscreen
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" \
    timeout 60 /usr/bin/agentops-monitor --smoke-test || fail "agentops-monitor --smoke-test"
# A SIGTERM must end the app through its event loop (exit 0, the database closed cleanly).
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" \
    /usr/bin/agentops-monitor --port 0 >"$WORK/monitor.log" 2>&1 &
MONITOR_PID=$!
sleep 2
kill -0 "$MONITOR_PID" 2>/dev/null || { cat "$WORK/monitor.log" >&2; fail "agentops-monitor exited at start"; }
kill -TERM "$MONITOR_PID"
status=0
timeout 20 tail --pid="$MONITOR_PID" -f /dev/null || fail "agentops-monitor did not stop within 20 s of SIGTERM"
wait "$MONITOR_PID" || status=$?
MONITOR_PID=""
[ "$status" -eq 0 ] || { cat "$WORK/monitor.log" >&2; fail "agentops-monitor exited $status on SIGTERM"; }
[ -f "$WORK/home/.local/share/AgentOps/AgentOps Monitor/traces.db" ] || fail "agentops-monitor made no database"
grep -q '^geometry=' "$WORK/home/.config/AgentOps/AgentOps Monitor.conf" 2>/dev/null ||
    fail "agentops-monitor did not save its window geometry on SIGTERM"
echo "stopped on SIGTERM with 0 and saved its window layout"

step "removing what was installed"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $INSTALLED_BY_US >/dev/null || fail "apt-get purge"
INSTALLED_BY_US=""
[ ! -e /usr/bin/agentops-monitor ] && [ ! -e /usr/bin/agentops-server ] || fail "binaries left after purge"

printf '\npackage-check: passed in %d s\n' "$(($(date +%s) - START))"
