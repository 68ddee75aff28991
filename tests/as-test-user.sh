#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test program as an unprivileged user in group kvm when the suite
# runs as root: as root, qemu:///session silently reaches the system daemon,
# while a normal user gets a session daemon of its own. The test program
# isolates its XDG dirs, so that daemon is private to it.
set -euo pipefail

user="${VMD_TEST_USER:-vmdesk-test}"
small_fs_size=""
case "${1:-}" in
  --small-fs=*) small_fs_size="${1#--small-fs=}"; shift ;;
esac

if [ "$(id -u)" != 0 ]; then
  exec "$@"
fi

if ! id "$user" >/dev/null 2>&1; then
  getent group kvm >/dev/null || groupadd -r kvm
  useradd -m -G kvm -s /bin/bash "$user"
fi

workdir="$(mktemp -d /tmp/vmdesk-it.XXXXXX)"
chown "$user:" "$workdir"
trap 'rm -rf "$workdir"' EXIT

home="$(getent passwd "$user" | cut -d: -f6)"

# Screenshots the tests take land in the build dir, where the user may write.
if [ -n "${VMD_BUILD_DIR:-}" ]; then
  mkdir -p "$VMD_BUILD_DIR/test-output"
  chown "$user:" "$VMD_BUILD_DIR/test-output"
  export VMD_OUTPUT_DIR="$VMD_BUILD_DIR/test-output"
fi
# A small file system, to fill at will: --small-fs=SIZE before the test.
if [ -n "$small_fs_size" ]; then
  small_fs="$workdir/small-fs"
  mkdir "$small_fs"
  if mount -t tmpfs -o "size=$small_fs_size,mode=0700,uid=$(id -u "$user")" tmpfs "$small_fs"; then
    export VMD_TEST_SMALL_FS="$small_fs"
    trap 'umount -l "$small_fs" 2>/dev/null; rm -rf "$workdir"' EXIT
  fi
fi
status=0
# The caller's D-Bus session bus is root's: the user gets one of its own.
# Only the test writes to stdout (TAP): the bus, and the services it
# starts (the keyring prints its variables), write to stderr.
runuser -u "$user" -- env -u DBUS_SESSION_BUS_ADDRESS -u XAUTHORITY \
  HOME="$home" USER="$user" LOGNAME="$user" TMPDIR="$workdir" \
  dbus-run-session -- bash -c 'exec "$@" >&3 3>&-' bash "$@" 3>&1 >&2 || status=$?
# Whatever the test left behind (a daemon, a QEMU after a failure) goes
# with it: the user's processes with its TMPDIR or its files on their
# command line, not those of a bench running as the same user.
for pid in $(pgrep -u "$user" || true); do
  if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qxF "TMPDIR=$workdir" ||
     tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$workdir"; then
    kill "$pid" 2>/dev/null || true
  fi
done
exit "$status"
