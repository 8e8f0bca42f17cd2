#!/bin/sh
# bench-export.sh: `tally logs --csv --output` against a sequential `curl | jq` loop
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# DESIGN.md §5: exporting a 100 000-row request log from a local server must be
# at least 5× faster than a sequential curl | jq loop over the same pages.
# Both run in the same invocation against the same demo server.
#
# Usage: tests/bench-export.sh [TALLY BENCH_DEMO_SERVER [ROWS]]
#   defaults: _build/src/tally, _build/tests/bench-demo-server, 103700
#   (the demo server makes about 96.5 % of the rows asked for: 103700 gives ≥ 100 000)
#   (`meson test -C BUILDDIR --benchmark bench-export` passes the built paths)
# Needs curl and jq: `sudo apt-get install curl jq`.
# Exit status: 0 when the target is met, 1 when it is not, 2 on a setup error.

set -eu

TALLY=${1:-_build/src/tally}
SERVER=${2:-_build/tests/bench-demo-server}
ROWS=${3:-103700}
TARGET=5
PAGE_SIZE=100

for tool in curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench-export: $tool not found (sudo apt-get install curl jq)" >&2
    exit 2
  fi
done
for exe in "$TALLY" "$SERVER"; do
  if [ ! -x "$exe" ]; then
    echo "bench-export: $exe not found; build first (meson compile -C _build)" >&2
    exit 2
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-bench-export.XXXXXX")
BENCH=bench-export
. "$(dirname "$0")/bench-demo-server.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT INT TERM

start_server

now () {
  date +%s.%N
}

# calc EXPR: floating-point arithmetic without bc
calc () {
  awk "BEGIN { print $1 }"
}

# The same rows for both: every usage row, newest first, 100 per page.
first=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/usage?page=1&page_size=$PAGE_SIZE")
TOTAL=$(printf '%s' "$first" | jq -r '.data.total')
PAGES=$(printf '%s' "$first" | jq -r '.data.pages')
echo "demo server: $TOTAL rows, $PAGES pages of $PAGE_SIZE"

# 1. tally: a few pages in flight on one keep-alive session, rows streamed to disk
start=$(now)
TALLY_TOKEN=$TOKEN "$TALLY" logs --server "$URL" --csv --output "$tmp/tally.csv"
end=$(now)
tally_time=$(calc "$end - $start")
tally_rows=$(($(wc -l <"$tmp/tally.csv") - 1))

# 2. a sequential curl | jq loop over the same pages, same columns
start=$(now)
echo "id,created_at,api_key_id,api_key_name,model,stream,billing_type,input_tokens,output_tokens,cache_creation_tokens,cache_read_tokens,total_tokens,total_cost,actual_cost,rate_multiplier,duration_ms,first_token_ms,request_id" >"$tmp/curl.csv"
page=1
while [ "$page" -le "$PAGES" ]; do
  curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/usage?page=$page&page_size=$PAGE_SIZE" |
    jq -r '.data.items[] | [ .id, .created_at, .api_key_id, (.api_key.name // ""), .model, .stream,
            (if .billing_type == 1 then "subscription" else "balance" end),
            .input_tokens, .output_tokens, .cache_creation_tokens, .cache_read_tokens,
            (.input_tokens + .output_tokens + .cache_creation_tokens + .cache_read_tokens),
            .total_cost, .actual_cost, .rate_multiplier, .duration_ms, .first_token_ms, .request_id ] | @csv' \
    >>"$tmp/curl.csv"
  page=$((page + 1))
done
end=$(now)
curl_time=$(calc "$end - $start")
curl_rows=$(($(wc -l <"$tmp/curl.csv") - 1))

if [ "$tally_rows" -ne "$TOTAL" ] || [ "$curl_rows" -ne "$TOTAL" ]; then
  echo "bench-export: row counts differ: server $TOTAL, tally $tally_rows, curl | jq $curl_rows" >&2
  exit 2
fi

ratio=$(calc "$curl_time / $tally_time")
printf 'tally logs --csv:  %8.2f s  %9.0f rows/s\n' "$tally_time" "$(calc "$tally_rows / $tally_time")"
printf 'curl | jq loop:    %8.2f s  %9.0f rows/s\n' "$curl_time" "$(calc "$curl_rows / $curl_time")"
printf 'ratio:             %8.2f× (target ≥ %d×)\n' "$ratio" "$TARGET"

if [ "$(calc "($ratio >= $TARGET)")" -eq 1 ]; then
  echo "PASS"
  exit 0
fi
echo "FAIL: below the target"
exit 1
