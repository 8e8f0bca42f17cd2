#!/bin/sh
# make-seeds.sh OUTDIR: the seed corpus of fuzz-decoders from the test fixtures.
#
# Each fixture tests/data/*.json|*.txt|*.html becomes OUTDIR/<name>.seed: two
# selector bytes (see tests/fuzz/fuzz-decoders-entry.h), then the fixture as the
# body. Byte 0 chooses the HTTP status: 200 for success bodies, the status in the
# name for envelope-<status>-*.  Byte 1 chooses the Content-Type: JSON for .json,
# text/html for .html, text/plain for .txt. The kept crashers
# (tests/data/fuzz-crash-*.bin) already carry their selectors and are copied.
# The corpus is generated: never commit it.
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
data="$here/../data"
out=$1
mkdir -p "$out"

# index in tally_fuzz_statuses[]: 200 400 401 403 404 429 500 502 503 204 302 504
status_index () {
  case $1 in
    400) echo 1 ;; 401) echo 2 ;; 403) echo 3 ;; 404) echo 4 ;; 429) echo 5 ;;
    500) echo 6 ;; 502) echo 7 ;; 503) echo 8 ;; 504) echo 11 ;; *) echo 0 ;;
  esac
}

n=0
for f in "$data"/*.json "$data"/*.txt "$data"/*.html; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  status=200
  case $name in
    envelope-[0-9][0-9][0-9]-*) status=$(echo "$name" | cut -d- -f2) ;;
  esac
  case $name in
    *.json) ct=0 ;; *.html) ct=1 ;; *) ct=2 ;;
  esac
  # selector bytes as octal escapes (portable printf)
  printf "\\$(printf '%03o' "$(status_index "$status")")\\$(printf '%03o' "$ct")" > "$out/$name.seed"
  cat "$f" >> "$out/$name.seed"
  n=$((n + 1))
done

for f in "$data"/fuzz-crash-*.bin; do
  [ -e "$f" ] || continue
  cp "$f" "$out/"
  n=$((n + 1))
done

echo "$n seeds in $out"
