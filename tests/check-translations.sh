#!/bin/sh
# Fails when a translation in po/LINGUAS has untranslated or fuzzy messages, or when
# msgfmt --check finds an error (format strings that do not match, bad headers, …).
# Usage: check-translations.sh [SOURCE_ROOT]
set -eu
top=${1:-$(dirname "$0")/..}
cd "$top"
command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt not found"; exit 77; }
rc=0
langs=$(sed -e 's/#.*//' po/LINGUAS | tr -s ' \t' '\n' | sed '/^$/d')
[ -n "$langs" ] || { echo "po/LINGUAS lists no language"; exit 1; }
for lang in $langs; do
  po="po/$lang.po"
  [ -f "$po" ] || { echo "$po is missing"; rc=1; continue; }
  if ! stats=$(LC_ALL=C LANGUAGE= msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    printf '%s\n' "$stats"
    echo "$po: msgfmt --check failed"
    rc=1
    continue
  fi
  printf '%s: %s\n' "$po" "$stats"
  case $stats in
    *fuzzy* | *untranslated*)
      echo "$po is incomplete:"
      LC_ALL=C msgattrib --only-fuzzy --no-obsolete "$po" 2>/dev/null | sed "1,/^$/d" | grep "^msgid" || true
      LC_ALL=C msgattrib --untranslated --no-obsolete "$po" 2>/dev/null | sed "1,/^$/d" | grep "^msgid" || true
      rc=1
      ;;
    *) ;;
  esac
done
exit $rc
