#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a GUI test on an X server of its own with a window manager (openbox):
# full screen, maximizing and focus are the window manager's to grant, and the
# Xvfb that the suites share has none. Without Xvfb or openbox the test runs
# as it is, and its full screen checks skip, saying why.
set -euo pipefail

if ! command -v Xvfb >/dev/null 2>&1 || ! command -v openbox >/dev/null 2>&1; then
  exec "$@"
fi

dir="$(mktemp -d)"
xvfb_pid=""
wm_pid=""
cleanup ()
{
  [ -n "$wm_pid" ] && kill "$wm_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

# -displayfd: the server picks a free display and says which, no race with
# another test starting one at the same time. -ac: the integration suite's
# unprivileged user may draw on it too.
Xvfb -displayfd 3 -screen 0 1280x900x24 -ac -nolisten tcp 3>"$dir/display" 2>"$dir/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$dir/display" ] && break
  sleep 0.1
done
[ -s "$dir/display" ] || { cat "$dir/xvfb.log" >&2; echo "Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(head -n 1 "$dir/display")"
unset WAYLAND_DISPLAY

# The server answers before the window manager is started on it: under load
# openbox once found no display it could open, and gave up.
for _ in $(seq 600); do
  xprop -root >/dev/null 2>&1 && break
  sleep 0.1
done

# Ready when it lists what it supports on the root window (EWMH): xdotool
# refuses to activate a window until _NET_ACTIVE_WINDOW is in that list. On
# two loaded cores openbox can take seconds, so wait for it, up to a minute;
# started again, up to three times, if it ends without taking the display.
ready=""
for _ in 1 2 3; do
  HOME="$dir" openbox --sm-disable >>"$dir/openbox.log" 2>&1 &
  wm_pid=$!
  for _ in $(seq 600); do
    if xprop -root _NET_SUPPORTED 2>/dev/null | grep -q '_NET_ACTIVE_WINDOW'; then
      ready=1
      break
    fi
    kill -0 "$wm_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$ready" ] && break
done
if [ -z "$ready" ]; then
  cat "$dir/openbox.log" >&2
  echo "openbox did not take the display $DISPLAY" >&2
  exit 1
fi
export VMD_TEST_WM=openbox

status=0
"$@" || status=$?
exit "$status"
