#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# vmdesk-askpass, as ssh runs it (the question as its argument, the answer
# read on its output), answered with real keys (xdotool): a password typed
# and sent comes out as typed; a host key is trusted by nobody's Enter or
# Escape (both cancel: exit 1, nothing printed). TAP.
set -uo pipefail

askpass="${1:?usage: test-askpass.sh VMDESK-ASKPASS}"
echo "1..3"
if [ -z "${DISPLAY:-}" ] || ! command -v xdotool >/dev/null; then
  for i in 1 2 3; do echo "ok $i # SKIP no X display or xdotool"; done
  exit 0
fi
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# Runs the helper with $1, presses the keys after it, prints its status.
ask () {
  local question="$1"; shift
  "$askpass" "$question" >"$out" 2>/dev/null &
  local pid=$!
  # Until its dialog is there and mapped (focusing a window not viewable
  # yet is an X error), however loaded the machine.
  if ! timeout 60 xdotool search --sync --onlyvisible --name '^VmDesk: SSH$' \
         windowfocus --sync >/dev/null; then
    kill "$pid"
    wait "$pid"
    return 99
  fi
  for keys in "$@"; do
    if [ "${keys#type:}" != "$keys" ]; then
      xdotool type --delay 40 "${keys#type:}"
    else
      xdotool key "$keys"
    fi
  done
  wait "$pid"
}

host_key="The authenticity of host '[127.0.0.1]:2222 ([127.0.0.1]:2222)' can't be established.
ED25519 key fingerprint is SHA256:2Zx0Kp4cYx4rQ5d6H1mMqvY1m9u7Vn0aYt3Lw8Qe1cE.
Are you sure you want to continue connecting (yes/no/[fingerprint])? "

# One TAP line: test $1, named $2, wants exit status $3 and output $4.
check () {
  local status=$?
  if [ "$status" = "$3" ] && [ "$(cat "$out")" = "$4" ]; then
    echo "ok $1 - $2"
  else
    echo "not ok $1 - $2 (status $status, output '$(cat "$out")')"
  fi
}

ask "ada@example.org's password: " "type:pass w'rd \"1\"" Return
check 1 "a password typed is the answer" 0 "pass w'rd \"1\""
ask "$host_key" Return
check 2 "Enter does not trust a host key" 1 ""
ask "$host_key" Escape
check 3 "Escape does not trust a host key" 1 ""
