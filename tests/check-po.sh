#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every string a person reads is translated in every language of po/LINGUAS:
# extracts the strings afresh, merges them into each .po file and fails on
# any untranslated or fuzzy entry, naming it.
set -euo pipefail

srcdir="${1:?usage: check-po.sh SOURCE_ROOT}"
cd "$srcdir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The keywords of meson's i18n "glib" preset.
xgettext --from-code=UTF-8 --add-comments --package-name=vmdesk \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  -f po/POTFILES.in -o "$tmp/vmdesk.pot"

status=0
while read -r lang; do
  [ -z "$lang" ] && continue
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "po/$lang.po" "$tmp/vmdesk.pot"
  msgfmt --check -o /dev/null "$tmp/$lang.po"
  missing="$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)"
  fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)"
  # msgattrib prints the header entry too when anything is left.
  [ "$missing" -gt 0 ] && missing=$((missing - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  echo "$lang: $missing untranslated, $fuzzy fuzzy"
  if [ "$missing" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    msgattrib --untranslated --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid ' || true
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid ' | tail -n +3 || true
    status=1
  fi
done < po/LINGUAS
exit "$status"
