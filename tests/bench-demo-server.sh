# bench-demo-server.sh: starts and stops the benchmarks' demo server (sourced by bench-*.sh)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Needs $BENCH (the script's name, for messages), $SERVER (bench-demo-server),
# $ROWS and $tmp (the script's own temporary directory). start_server stops a
# running server, starts a new one (its environment passes through:
# BENCH_FAULTS, BENCH_RATE_LIMIT) and sets URL and TOKEN from the line it
# prints; it exits with status 2 when the server does not start in 60 s.

server_pid=
stop_server () {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}

start_server () {
  stop_server
  rm -f "$tmp/server.txt"
  "$SERVER" "$ROWS" >"$tmp/server.txt" &
  server_pid=$!
  tries=0
  while [ ! -s "$tmp/server.txt" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ]; then
      echo "$BENCH: the demo server did not start" >&2
      exit 2
    fi
    sleep 0.1
  done
  read -r URL TOKEN <"$tmp/server.txt"
}
