#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The one entry point for working on VmDesk (the README's two commands):
#
#   build-aux/dev.sh run [ARGS...]   set up, build, start VmDesk on qemu:///session
#   build-aux/dev.sh test [--sanitize-only|--no-sanitize]
#                                    set up, build, run the test suites
#   build-aux/dev.sh setup           only the set-up (packages, KVM, test user, build)
#
# Made for a fresh Debian 12 machine, as root or with sudo. Every step is
# idempotent and skips itself when there is nothing to do.
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="$srcdir/_build"
asandir="$srcdir/_build-asan"
test_user="${VMD_TEST_USER:-vmdesk-test}"

# Debian 12 packages: build tools and libraries, the libvirt/QEMU stack the
# integration suite drives, the fixtures it boots, and the X tools of the ui suite.
packages=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libvirt-dev libvirt-glib-1.0-dev libosinfo-1.0-dev osinfo-db libxml2-dev libarchive-dev libjson-glib-dev
  libsoup-3.0-dev libsecret-1-dev gnome-keyring
  libspice-client-glib-2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-system libvirt-clients
  qemu-system-x86 qemu-utils ovmf swtpm swtpm-tools
  grub-rescue-pc grub-pc-bin grub-efi-amd64-bin mtools xorriso
  debian-installer-12-netboot-amd64 isolinux syslinux-common
  xvfb xauth xdotool imagemagick tesseract-ocr openbox x11-utils
  virt-viewer virtinst libx11-dev libxdamage-dev libxtst-dev
  debootstrap cpio xclip gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-pulseaudio
  pulseaudio pulseaudio-utils sox openssh-client openssh-server iproute2
  desktop-file-utils appstream-util
  dbus dbus-x11 passwd procps libclang-rt-14-dev
)

# Build outputs must be readable by the unprivileged test user and by the
# user `run` starts VmDesk as, whatever umask root has.
umask 022

heading () { printf '==> %s\n' "$*"; }
warn () { printf 'warning: %s\n' "$*" >&2; }
die () { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root () { [ "$(id -u)" = 0 ]; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root ()
{
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "'$*' needs root: run this script as root or install sudo"
  fi
}

# Runs a command with its output in a log, shown only when it fails.
quietly ()
{
  local log status=0
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    cat "$log" >&2
    rm -f "$log"
    die "'$*' failed (exit $status)"
  fi
  rm -f "$log"
}

usage ()
{
  cat <<EOF
usage: build-aux/dev.sh COMMAND

  run [ARGS...]                     set up, build, then start VmDesk on qemu:///session
                                    of the calling user (\$SUDO_USER under sudo);
                                    ARGS go to vmdesk (e.g. --connect URI)
  test [--sanitize-only|--no-sanitize]
                                    set up, build, run the unit suite under ASan+UBSan,
                                    then the integration and ui suites under them and
                                    Xvfb, then every suite under Xvfb
  setup                             only the set-up: packages, KVM access, test user, build
EOF
}

# --- set-up -----------------------------------------------------------------

ensure_packages ()
{
  local missing=() pkg status
  declare -A installed=()

  # One dpkg-query for all of them keeps this well under a second.
  while read -r pkg status; do
    [ "$status" = installed ] && installed["$pkg"]=1
  done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)
  for pkg in "${packages[@]}"; do
    [ -n "${installed[$pkg]:-}" ] || missing+=("$pkg")
  done

  if [ "${#missing[@]}" = 0 ]; then
    heading "Packages: all ${#packages[@]} installed"
    return
  fi
  heading "Packages: installing ${missing[*]}"
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update
  quietly as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_kvm_group ()
{
  getent group kvm >/dev/null || as_root groupadd -r kvm
}

ensure_kvm ()
{
  if [ ! -e /dev/kvm ]; then
    heading "KVM: no /dev/kvm, guests will run under TCG (slow)"
    return
  fi
  ensure_kvm_group
  # What udev does on a desktop; these machines have no udev rule for it.
  if [ "$(stat -c '%G %a' /dev/kvm)" = "kvm 660" ]; then
    heading "KVM: /dev/kvm is group kvm, mode 0660"
    return
  fi
  heading "KVM: giving /dev/kvm group kvm and mode 0660"
  as_root chgrp kvm /dev/kvm
  as_root chmod 0660 /dev/kvm
}

# The integration suite runs as this user when the tests run as root: as root,
# qemu:///session reaches the system daemon, a normal user gets its own.
ensure_test_user ()
{
  if ! is_root; then
    heading "Test user: not root, the integration suite runs as $(id -un)"
    return
  fi
  ensure_kvm_group
  if ! id "$test_user" >/dev/null 2>&1; then
    heading "Test user: creating $test_user (group kvm)"
    useradd -m -G kvm -s /bin/bash "$test_user"
  elif ! id -nG "$test_user" | tr ' ' '\n' | grep -qx kvm; then
    heading "Test user: adding $test_user to group kvm"
    usermod -a -G kvm "$test_user"
  else
    heading "Test user: $test_user exists, in group kvm"
  fi
}

# Prints the first directory on the way to $2 that user $1 cannot traverse.
first_blocked_dir ()
{
  local user="$1" path="$2" dir="" part
  local -a parts
  IFS=/ read -r -a parts <<<"${path#/}"
  for part in "${parts[@]}"; do
    dir="$dir/$part"
    [ -d "$dir" ] || break
    if ! runuser -u "$user" -- test -x "$dir" -a -r "$dir"; then
      printf '%s\n' "$dir"
      return
    fi
  done
  printf '%s\n' "$path"
}

check_test_user_access ()
{
  is_root || return 0
  local -a checks=(-r "$srcdir/meson.build" -a -x "$srcdir/tests" -a -r "$srcdir/tests/data")
  [ -d "$builddir" ] && checks+=(-a -r "$builddir/build.ninja" -a -x "$builddir/tests")
  if runuser -u "$test_user" -- test "${checks[@]}"; then
    heading "Test user: $test_user can read the source and build trees"
    return
  fi
  local blocked
  blocked="$(first_blocked_dir "$test_user" "$srcdir")"
  [ "$blocked" = "$srcdir" ] && [ -d "$builddir" ] && blocked="$(first_blocked_dir "$test_user" "$builddir/tests")"
  heading "Test user: $test_user cannot read the tree"
  warn "$test_user cannot read or traverse $blocked ($(stat -c '%U:%G %A' "$blocked" 2>/dev/null || echo missing)):"
  warn "the integration suite will fail; e.g. 'chmod o+rx $blocked' or move the checkout"
}

# Configures (once) and builds a build directory. Meson regenerates by itself
# when meson.build files change; it only asks for --reconfigure after an
# upgrade of meson itself, and then we do it.
build ()
{
  local dir="$1" log status=0
  shift
  local name="${dir#"$srcdir"/}"

  if [ ! -f "$dir/build.ninja" ]; then
    heading "Build: configuring $name${*:+ $*}"
    quietly meson setup "$@" "$dir" "$srcdir"
  fi

  heading "Build: compiling $name"
  log="$(mktemp)"
  meson compile -C "$dir" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ] && grep -qi -- 'meson setup --reconfigure\|--wipe\|incompatible with the current version\|please regenerate' "$log"; then
    heading "Build: reconfiguring $name (meson asked for it)"
    if ! meson setup --reconfigure "$@" "$dir" "$srcdir" >"$log" 2>&1; then
      heading "Build: $name is beyond reconfiguring, wiping it"
      quietly meson setup --wipe "$@" "$dir" "$srcdir"
    fi
    status=0
    meson compile -C "$dir" >"$log" 2>&1 || status=$?
  fi
  if [ "$status" != 0 ]; then
    cat "$log" >&2
    rm -f "$log"
    die "building $name failed"
  fi
  rm -f "$log"
}

setup ()
{
  [ -f "$srcdir/meson.build" ] || die "$srcdir is not the VmDesk source tree"
  ensure_packages
  ensure_kvm
  ensure_test_user
  build "$builddir"
  check_test_user_access
}

# --- run --------------------------------------------------------------------

# As root, qemu:///session is the system daemon, which nothing starts here
# (no systemd): start it and its log daemon by hand.
ensure_system_libvirtd ()
{
  if pgrep -u 0 -x virtlogd >/dev/null && libvirtd_answers; then
    heading "libvirt: system daemons running"
    return
  fi
  heading "libvirt: starting the system daemons (virtlogd, libvirtd)"
  pgrep -u 0 -x virtlogd >/dev/null || virtlogd -d || warn "virtlogd did not start"
  if ! libvirtd_answers; then
    libvirtd -d || warn "libvirtd did not start"
  fi
  for _ in $(seq 50); do
    libvirtd_answers && return
    sleep 0.2
  done
  warn "libvirtd does not answer on qemu:///system yet; VmDesk will keep retrying"
}

libvirtd_answers ()
{
  virsh -q -c qemu:///system uri >/dev/null 2>&1
}

cmd_run ()
{
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    printf 'error: no display: run it from a desktop session, or under xvfb-run\n' >&2
    exit 1
  fi

  setup

  local user="" uid
  if is_root && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    user="$SUDO_USER"
  fi

  local -a env_vars=("GSETTINGS_SCHEMA_DIR=$builddir/data")
  local -a wrapper=()

  if [ -z "$user" ]; then
    is_root && ensure_system_libvirtd
    uid="$(id -u)"
  else
    uid="$(id -u "$user")"
    # sudo drops these; a desktop session puts them here.
    if [ -z "${XDG_RUNTIME_DIR:-}" ] && [ -d "/run/user/$uid" ] && \
       [ "$(stat -c %u "/run/user/$uid")" = "$uid" ]; then
      export XDG_RUNTIME_DIR="/run/user/$uid"
    fi
    if ! runuser -u "$user" -- test -r "$builddir/src/vmdesk" -a -x "$builddir/src/vmdesk"; then
      die "$user cannot run $builddir/src/vmdesk: $(first_blocked_dir "$user" "$builddir/src") is closed to it"
    fi
  fi
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -n "${XDG_RUNTIME_DIR:-}" ] && \
     [ -S "$XDG_RUNTIME_DIR/bus" ]; then
    export DBUS_SESSION_BUS_ADDRESS="unix:path=$XDG_RUNTIME_DIR/bus"
  fi

  local -a as_user=()
  if [ -n "$user" ]; then as_user=(runuser -u "$user" --); fi

  # A session bus that answers, or one of our own for the life of VmDesk.
  # (Never probe without an address: libdbus would autolaunch a bus on X11.)
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || \
     ! "${as_user[@]}" env DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" \
         dbus-send --session --reply-timeout=2000 --dest=org.freedesktop.DBus \
         --type=method_call --print-reply /org/freedesktop/DBus \
         org.freedesktop.DBus.GetId >/dev/null 2>&1; then
    unset DBUS_SESSION_BUS_ADDRESS
    wrapper=(dbus-run-session --)
  fi

  local var
  for var in DISPLAY WAYLAND_DISPLAY XAUTHORITY DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR; do
    if [ -n "${!var:-}" ]; then
      env_vars+=("$var=${!var}")
    fi
  done

  heading "Run: vmdesk${*:+ $*} as ${user:-$(id -un)}${wrapper:+ (private D-Bus session)}"
  exec "${as_user[@]}" env -u DBUS_SESSION_BUS_ADDRESS "${env_vars[@]}" \
    "${wrapper[@]}" "$builddir/src/vmdesk" "$@"
}

# --- test -------------------------------------------------------------------

# The guest of the agent test: Debian with X and spice-vdagent in an
# initramfs (tests/agent-guest/build.sh, about 2 minutes, needs root and
# Debian's archive). Made again when its recipe changes; without it the agent
# test skips, saying why.
ensure_agent_guest ()
{
  local dir="$builddir/agent-guest" recipe="$srcdir/tests/agent-guest" want
  want="$("$recipe/build.sh" --stamp)"
  if [ -f "$dir/initrd.cpio" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$want" ]; then
    heading "Agent guest: up to date in ${dir#"$srcdir"/}"
    return
  fi
  heading "Agent guest: building it in ${dir#"$srcdir"/} (debootstrap)"
  if ! as_root "$recipe/build.sh" "$dir"; then
    warn "the agent guest could not be built: the agent test will skip"
  fi
}

asan_configured ()
{
  local opts
  opts="$(meson introspect --buildoptions "$asandir" 2>/dev/null)" || return 1
  python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
ok = sorted(opts.get("b_sanitize", "").split(",")) == ["address", "undefined"] and opts.get("b_lundef") is False
sys.exit(0 if ok else 1)' <<<"$opts"
}

cmd_test ()
{
  local sanitize=yes full=yes
  case "${1:-}" in
    "") ;;
    --sanitize-only) full=no ;;
    --no-sanitize) sanitize=no ;;
    *) usage >&2; exit 2 ;;
  esac
  [ $# -le 1 ] || { usage >&2; exit 2; }

  setup

  if [ "$sanitize" = yes ]; then
    local -a asan_opts=("-Db_sanitize=address,undefined" -Db_lundef=false)
    if [ -f "$asandir/build.ninja" ] && ! asan_configured; then
      heading "Build: setting sanitizer options on ${asandir##*/}"
      quietly meson configure "${asan_opts[@]}" "$asandir"
    fi
    build "$asandir" "${asan_opts[@]}"
    heading "Test: unit suite under AddressSanitizer + UndefinedBehaviorSanitizer"
    local status=0
    # Leak reports are GTK/GLib one-time allocations: noise, not our bugs.
    ASAN_OPTIONS=detect_leaks=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      meson test -C "$asandir" --suite unit --print-errorlogs || status=$?
    if [ "$full" = no ] || [ "$status" != 0 ]; then
      exit "$status"
    fi
  fi

  ensure_agent_guest
  if [ "$sanitize" = yes ]; then
    # The suites that drive real guests and windows, under the sanitizers too.
    ln -sfn "$builddir/agent-guest" "$asandir/agent-guest"
    heading "Test: integration and ui suites under AddressSanitizer + UndefinedBehaviorSanitizer"
    (cd "$srcdir" &&
      ASAN_OPTIONS=detect_leaks=0 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      xvfb-run -a -s "-screen 0 1280x1024x24 -ac -nolisten tcp" \
        dbus-run-session -- meson test -C "$asandir" --suite integration --suite ui \
          --print-errorlogs --num-processes 2) || exit $?
  fi
  heading "Test: all suites (unit, integration, ui, data) under Xvfb"
  # Last of all, so that meson's summary is the last thing printed.
  cd "$srcdir"
  # -ac: the integration suite's unprivileged user draws on this X server too
  # (it cannot read root's cookie); nothing outside this machine can reach it.
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -ac -nolisten tcp" \
    dbus-run-session -- meson test -C "$builddir" --print-errorlogs --num-processes 2
}

# --- main -------------------------------------------------------------------

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  run) cmd_run "$@" ;;
  test) cmd_test "$@" ;;
  setup) [ $# = 0 ] || { usage >&2; exit 2; }; setup ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
