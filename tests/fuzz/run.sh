#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzzes VmDesk's image checks (src/vmd-iso.c) together with the libosinfo
# reads they guard, with libFuzzer (clang, Debian's libclang-rt-14-dev).
#   tests/fuzz/run.sh [SECONDS] [CORPUS_DIR]
# What it finds becomes a case in tests/test-media-hostile.c. Leaks are not
# looked for: libosinfo keeps a few bytes per call, and ours are the ASan
# unit suite's business.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/../../src"
seconds="${1:-300}"
corpus="${2:-$(mktemp -d)}"
out="$(mktemp -d)"
mkdir -p "$corpus"
# Seeds: the first sectors of real-shaped images, made by xorriso.
if [ -z "$(ls -A "$corpus")" ]; then
  stage="$(mktemp -d)"
  mkdir -p "$stage/tree/ppc" "$stage/tree/install"
  echo '<chrp-boot>' >"$stage/tree/ppc/bootinfo.txt"
  echo kernel >"$stage/tree/install/vmlinuz"
  xorriso -no_rc -as mkisofs -quiet -V 'Debian 11.6.0 p64el n' -o "$stage/a.iso" "$stage/tree" 2>/dev/null
  xorriso -no_rc -as mkisofs -quiet -r -V 'MY_FILES' -o "$stage/b.iso" "$stage/tree" 2>/dev/null
  for f in a b; do dd if="$stage/$f.iso" of="$corpus/$f" bs=2048 skip=16 count=32 status=none; done
  rm -rf "$stage"
fi
# shellcheck disable=SC2046
clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$src" -I"$here/../../_build" \
  "$here/fuzz-iso.c" "$src/vmd-iso.c" $(pkg-config --cflags --libs libosinfo-1.0) -o "$out/fuzz-iso"
cd "$out"
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-iso" -max_total_time="$seconds" -timeout=10 -detect_leaks=0 -rss_limit_mb=4096 -max_len=131072 "$corpus"
