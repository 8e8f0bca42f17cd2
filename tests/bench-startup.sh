#!/bin/sh
# bench-startup.sh: time from process start to a filled dashboard, and memory
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Launches `tally` N times with TALLY_DEBUG=timing and waits for its line
#   tally-timing: dashboard-filled MS
# (printed once, after the first frame in which every card has a value, the
# trend chart has its points and the pie its slices; MS is milliseconds since
# exec). Right after that line appears it reads RSS and PSS from
# /proc/PID/smaps_rollup, then kills the process. Reports min/median/max.
#
# Usage: tests/bench-startup.sh [options] [TALLY [BENCH_DEMO_SERVER]]
#   -n RUNS        runs per mode (default 10)
#   --demo         tally --demo: the built-in demo server (default mode)
#   --server URL   an external server; the token comes from TALLY_TOKEN
#   --external     start BENCH_DEMO_SERVER (tests/bench-demo-server) with
#                  ROWS rows (default 17000) and use it as the external server
#   --all          --demo and --external
#   -v             print each run's timing lines
# TALLY defaults to _build/src/tally, BENCH_DEMO_SERVER to the tests/ folder
# next to it. Without DISPLAY the script re-runs itself under
# `xvfb-run -a -s '-screen 0 1280x900x24' dbus-run-session`; all runs share
# that display and bus (tally runs with --non-unique).
# Targets (issue 7): median under 500 ms, PSS under 110 MiB. Exit status: 0
# when every mode meets them, 1 when not, 2 on a setup error.

set -eu

RUNS=10
MODES=
SERVER_URL=
VERBOSE=0
ROWS=${ROWS:-17000}
TARGET_MS=500
TARGET_PSS_KIB=$((110 * 1024))
TIMEOUT_S=30

while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    --demo) MODES="$MODES demo"; shift ;;
    --server) SERVER_URL=$2; MODES="$MODES server"; shift 2 ;;
    --external) MODES="$MODES external"; shift ;;
    --all) MODES="$MODES demo external"; shift ;;
    -v) VERBOSE=1; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "bench-startup: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done

TALLY=${1:-_build/src/tally}
BENCH_SERVER=${2:-$(dirname "$TALLY")/../tests/bench-demo-server}
MODES=${MODES:-demo}

if [ ! -x "$TALLY" ]; then
  echo "bench-startup: $TALLY not found; build first (meson compile -C _build)" >&2
  exit 2
fi
if [ "$SERVER_URL" != "" ] && [ "${TALLY_TOKEN:-}" = "" ]; then
  echo "bench-startup: --server needs TALLY_TOKEN" >&2
  exit 2
fi

# A display and a private session bus for all runs.
if [ "${DISPLAY:-}" = "" ] && [ "${BENCH_STARTUP_WRAPPED:-}" = "" ]; then
  for tool in xvfb-run dbus-run-session; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "bench-startup: no DISPLAY and no $tool" >&2
      exit 2
    fi
  done
  BENCH_STARTUP_WRAPPED=1 exec xvfb-run -a -s '-screen 0 1280x900x24' \
    dbus-run-session -- "$0" -n "$RUNS" $(for m in $MODES; do
      case $m in server) printf '%s %s ' --server "$SERVER_URL" ;; *) printf -- '--%s ' "$m" ;; esac
    done) $( [ "$VERBOSE" = 1 ] && echo -v ) -- "$TALLY" "$BENCH_SERVER"
fi

builddir=$(cd "$(dirname "$TALLY")/.." && pwd)
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="${GSETTINGS_SCHEMA_DIR:-$builddir/data}"
export TALLY_DEBUG=timing
unset TALLY_SERVER

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-bench-startup.XXXXXX")
server_pid=
app_pid=
cleanup () {
  for pid in $app_pid $server_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# min median max of the numbers on standard input
stats () {
  sort -n | awk '{ v[NR] = $1 }
    END {
      if (NR == 0) { print "- - -"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s %s %s\n", v[1], m, v[NR]
    }'
}

# run_once LABEL ARGS...: one launch; appends "ms rss_kib pss_kib" to $tmp/LABEL
run_once () {
  label=$1; shift
  err="$tmp/stderr"
  : >"$err"
  "$TALLY" --non-unique "$@" 2>"$err" >/dev/null &
  app_pid=$!
  waited=0
  while ! grep -q '^tally-timing: dashboard-filled ' "$err"; do
    if ! kill -0 "$app_pid" 2>/dev/null; then
      echo "bench-startup: tally exited before the dashboard was filled:" >&2
      cat "$err" >&2
      app_pid=
      return 1
    fi
    waited=$((waited + 1))
    if [ "$waited" -gt $((TIMEOUT_S * 200)) ]; then
      echo "bench-startup: no dashboard-filled line after ${TIMEOUT_S}s:" >&2
      cat "$err" >&2
      return 1
    fi
    sleep 0.005
  done
  rss=$(awk '/^Rss:/ { print $2 }' "/proc/$app_pid/smaps_rollup")
  pss=$(awk '/^Pss:/ { print $2 }' "/proc/$app_pid/smaps_rollup")
  ms=$(awk '/^tally-timing: dashboard-filled / { print $3 }' "$err")
  echo "$ms $rss $pss" >>"$tmp/$label"
  if [ "$VERBOSE" = 1 ]; then
    grep '^tally-timing:' "$err" | awk -v rss="$rss" -v pss="$pss" \
      '{ printf "%s=%s ", $2, $3 } END { printf "rss=%d pss=%d (KiB)\n", rss, pss }'
  fi
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=
}

failed=0

report () {
  label=$1
  set -- $(cut -d' ' -f1 "$tmp/$label" | stats)
  ms_min=$1 ms_med=$2 ms_max=$3
  set -- $(cut -d' ' -f2 "$tmp/$label" | awk '{ print $1 / 1024 }' | stats)
  rss_min=$1 rss_med=$2 rss_max=$3
  set -- $(cut -d' ' -f3 "$tmp/$label" | stats)
  pss_med_kib=$2
  set -- $(cut -d' ' -f3 "$tmp/$label" | awk '{ print $1 / 1024 }' | stats)
  printf '%-9s runs=%s  filled ms min/median/max: %s / %s / %s\n' \
    "$label" "$(wc -l <"$tmp/$label")" "$ms_min" "$ms_med" "$ms_max"
  printf '%-9s RSS MiB min/median/max: %.1f / %.1f / %.1f   PSS MiB min/median/max: %.1f / %.1f / %.1f\n' \
    "$label" "$rss_min" "$rss_med" "$rss_max" "$1" "$2" "$3"
  if awk -v m="$ms_med" -v t="$TARGET_MS" -v p="$pss_med_kib" -v tp="$TARGET_PSS_KIB" \
       'BEGIN { exit !(m >= t || p >= tp) }'; then
    printf '%-9s target (median < %d ms, PSS < %d MiB): NOT MET\n' "$label" "$TARGET_MS" $((TARGET_PSS_KIB / 1024))
    failed=1
  else
    printf '%-9s target (median < %d ms, PSS < %d MiB): met\n' "$label" "$TARGET_MS" $((TARGET_PSS_KIB / 1024))
  fi
}

echo "bench-startup: $TALLY, $RUNS runs per mode, load average $(cut -d' ' -f1-3 /proc/loadavg)"

for mode in $MODES; do
  : >"$tmp/$mode"
  case $mode in
    demo)
      for i in $(seq "$RUNS"); do
        run_once demo --demo || exit 2
      done
      ;;
    server)
      for i in $(seq "$RUNS"); do
        run_once server --server "$SERVER_URL" || exit 2
      done
      ;;
    external)
      if [ ! -x "$BENCH_SERVER" ]; then
        echo "bench-startup: $BENCH_SERVER not found" >&2
        exit 2
      fi
      "$BENCH_SERVER" "$ROWS" >"$tmp/server.txt" &
      server_pid=$!
      tries=0
      while [ ! -s "$tmp/server.txt" ]; do
        tries=$((tries + 1))
        if [ "$tries" -gt 600 ]; then
          echo "bench-startup: the demo server did not start" >&2
          exit 2
        fi
        sleep 0.1
      done
      read -r url token <"$tmp/server.txt"
      for i in $(seq "$RUNS"); do
        TALLY_TOKEN=$token run_once external --server "$url" || exit 2
      done
      kill "$server_pid" 2>/dev/null || true
      wait "$server_pid" 2>/dev/null || true
      server_pid=
      ;;
  esac
  report "$mode"
done

exit "$failed"
