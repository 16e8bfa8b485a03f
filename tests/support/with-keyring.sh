#!/bin/sh
# Runs a command inside a private D-Bus session with its own unlocked GNOME Keyring (Secret Service),
# under a temporary HOME, so tests of the keychain never touch the user's keyring and leave nothing
# behind. Usage: with-keyring.sh <command> [args...]
set -eu

# Second stage, inside the private D-Bus session: start the keyring daemon, wait until it serves the
# Secret Service, run the command, and stop the daemon (it would outlive the session otherwise).
if [ "${1-}" = "--inside-session" ]; then
    shift
    # --unlock reads the new login keyring's password from stdin and creates it unlocked.
    printf %s agentops-test | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
    keyring=$!
    tries=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
        tries=$((tries + 1))
        if [ "$tries" -gt 200 ]; then
            echo "with-keyring.sh: gnome-keyring-daemon did not start" >&2
            kill "$keyring" 2>/dev/null || true
            exit 1
        fi
        sleep 0.05
    done
    status=0
    "$@" || status=$?
    kill "$keyring" 2>/dev/null || true
    wait "$keyring" 2>/dev/null || true
    exit "$status"
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-keyring.sh: $tool is not installed (packages dbus, gnome-keyring)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/agentops-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.local/share" "$tmp/home/.config" "$tmp/home/.cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home"
export XDG_DATA_HOME="$tmp/home/.local/share"
export XDG_CONFIG_HOME="$tmp/home/.config"
export XDG_CACHE_HOME="$tmp/home/.cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

status=0
dbus-run-session -- "$0" --inside-session "$@" || status=$?
exit "$status"
