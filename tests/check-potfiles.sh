#!/bin/sh
# Fails when a source file with translatable strings is missing from po/POTFILES.in,
# or when POTFILES.in lists a file that does not exist.
set -eu
top=${1:-$(dirname "$0")/..}
cd "$top"
rc=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists missing file $f"; rc=1; }
done
for f in $( { grep -lE '\b(_|N_|C_|NC_|ngettext) ?\(' src/*.c src/*/*.c 2>/dev/null || true;
              grep -l 'translatable="yes"' src/*.ui src/gtk/*.ui 2>/dev/null || true; } | sort -u); do
  printf '%s\n' "$listed" | grep -qxF "$f" || { echo "$f has translatable strings but is not in po/POTFILES.in"; rc=1; }
done
[ $rc -eq 0 ] && echo "POTFILES.in complete"
exit $rc
