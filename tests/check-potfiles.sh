#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# po/POTFILES.in is complete and correct: every file under src/, resources/,
# data/ and at the top level with a translatable string (_("...), N_("...),
# C_("...), translatable="yes") is listed, and every listed file exists.
# Fails naming each file that is missing or stale.
set -euo pipefail

srcdir="${1:?usage: check-potfiles.sh SOURCE_ROOT}"
cd "$srcdir"
potfiles=po/POTFILES.in
[ -f "$potfiles" ] || { echo "not ok: $srcdir/$potfiles does not exist"; exit 1; }

# The gettext macros, with or without a space before the parenthesis as the
# GTK coding style writes calls, and GtkBuilder's attribute.
pattern='(^|[^[:alnum:]_])(N|C|NC|Q)?_[[:space:]]*\([[:space:]]*"|translatable="yes"'

declare -A listed=()
status=0
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"                        # comments
  line="$(sed -E 's/^\[[^]]*\][[:space:]]*//; s/^[[:space:]]+//; s/[[:space:]]+$//' <<<"$line")"
  [ -n "$line" ] || continue
  listed["$line"]=1
  if [ ! -f "$line" ]; then
    echo "not ok: $potfiles lists $line, which does not exist"
    status=1
  fi
done <"$potfiles"

checked=0
while IFS= read -r -d '' file; do
  file="${file#./}"
  checked=$((checked + 1))
  grep -Eq "$pattern" "$file" 2>/dev/null || continue
  if [ -z "${listed[$file]:-}" ]; then
    echo "not ok: $file has translatable strings but is missing from $potfiles"
    status=1
  fi
done < <({ find src resources data -type f ! -name '.*' ! -name '*~' -print0 2>/dev/null
           find . -maxdepth 1 -type f ! -name '.*' ! -name '*~' -print0; } | sort -z)

if [ "$status" = 0 ]; then
  echo "ok: $potfiles lists all ${#listed[@]} files with translatable strings ($checked files checked)"
fi
exit "$status"
