#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One SPICE boundary: the window's code (src/ui) reaches the guest through
# VmdSpiceSession and the engine objects beside it (VmdSpiceInput,
# VmdSpiceClipboard, VmdSpiceAudio, VmdSpiceUsb). Only the code that draws
# the guest's primary surface and cursor (src/ui/vmd-display-surface.c)
# reads spice-client-glib itself, and the session's public header hands out
# no channel. Fails naming each file that crosses the boundary.
set -euo pipefail

srcdir="${1:?usage: check-spice-boundary.sh SOURCE_ROOT}"
cd "$srcdir"
surface=src/ui/vmd-display-surface.c
status=0

for file in src/ui/*.c src/ui/*.h; do
  [ "$file" = "$surface" ] && continue
  if grep -nE '#include[[:space:]]*[<"](spice-client\.h|spice/|vmd-spice-session-screen\.h|vmd-spice-session-private\.h)' "$file"; then
    echo "not ok: $file includes spice-client-glib's headers or the session's private ones"
    status=1
  fi
  # spice-client-glib's calls and types, not VmDesk's vmd_spice_* and VmdSpice*
  if grep -nE '(^|[^[:alnum:]_])(spice_[a-z]|SPICE_[A-Z]|Spice[A-Z])' "$file" | grep -vE '^[0-9]+:\s*(/?\*|//)'; then
    echo "not ok: $file calls spice-client-glib"
    status=1
  fi
done

for header in src/vmd-spice-session.h src/vmd-spice-input.h src/vmd-spice-clipboard.h \
              src/vmd-spice-audio.h src/vmd-spice-usb.h; do
  if grep -nE 'spice-client\.h|Spice[A-Z][A-Za-z]*(Channel|Session) *\*' "$header"; then
    echo "not ok: $header hands out spice-client-glib's objects"
    status=1
  fi
done

if [ "$status" = 0 ]; then
  echo "ok: only $surface reads spice-client-glib in the window's code"
fi
exit "$status"
