#!/bin/sh
# Runs a command inside a throwaway, unlocked GNOME keyring and private XDG dirs.
# Use inside `xvfb-run -a dbus-run-session --` (see README.md and .ci/run).
set -eu
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  printf 'ci-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
fi
rc=0
"$@" || rc=$?
rm -rf "$tmp"
exit $rc
