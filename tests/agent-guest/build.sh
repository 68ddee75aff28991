#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the guest of the agent test (tests/test-agent.c): Debian's kernel
# and an initramfs holding a minimal Debian with an X server (Xvfb), the
# SPICE agent (spice-vdagent), xclip, evtest to read its keyboard and the
# agent's pointer, and the QXL and virtio-gpu kernel drivers with modetest
# to set their modes, started by tests/agent-guest/init. For the sound and
# shared-folder test, the same guest also has ALSA's tools and the HDA
# driver (QEMU's ich9 sound card), and spice-webdavd with curl to read and
# write the SPICE shared folder: used only when the machine has those devices.
# Under TCG it boots to a running agent in about 30 s. Needs root
# (debootstrap) and Debian's archive; made once, by build-aux/dev.sh.
#   tests/agent-guest/build.sh OUTDIR     -> OUTDIR/vmlinuz, OUTDIR/initrd.cpio
#   tests/agent-guest/build.sh --stamp    -> what OUTDIR/stamp holds when up to date
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# What the image is made from, so that a change to the recipe makes it again.
stamp () { sha256sum "$here/init" "$here/build.sh" | awk '{ print $1 }'; }
if [ "${1:-}" = --stamp ]; then
  stamp
  exit 0
fi
out="${1:?usage: build.sh OUTDIR}"
mirror="${VMD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="$(mktemp -d /tmp/vmd-agent-guest.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# dbus-x11 stands for the session bus dconf asks for; debootstrap resolves
# no virtual packages. dbus is the system bus of avahi-daemon, without which
# spice-webdavd exits once the host connects; iproute2 brings up lo, where
# spice-webdavd listens.
debootstrap --variant=minbase \
  --include=spice-vdagent,xvfb,xclip,kmod,procps,dbus-x11,libdrm-tests,evtest,alsa-utils,spice-webdavd,curl,dbus,iproute2 \
  bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}

# Debian's kernel, and of its modules only what the agent's port, input
# events, the two displays and the HDA sound card (its codec is the generic
# one) need, found by the guest's own modprobe.
kernel="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')"
(cd "$work" && apt-get download -q "$kernel" >/dev/null 2>&1)
dpkg-deb -x "$work"/"$kernel"_*.deb "$work/kernel"
version="$(ls "$work/kernel/lib/modules")"
modules="$work/root/lib/modules/$version"
mkdir -p "$modules"
cp -al "$work/kernel/lib/modules/$version/." "$modules/"
chroot "$work/root" depmod "$version"
needed="$(chroot "$work/root" modprobe -a -S "$version" --show-depends virtio_pci virtio_console uinput evdev qxl virtio_gpu \
            snd_hda_intel snd_hda_codec_generic |
          awk '$1 == "insmod" { print $2 }')"
rm -rf "$modules"
for path in $needed; do
  mkdir -p "$work/root$(dirname "$path")"
  cp "$work/kernel$path" "$work/root$path"
done
cp "$work/kernel/lib/modules/$version"/modules.{order,builtin,builtin.modinfo} "$modules/"
chroot "$work/root" depmod "$version"

# What the guest never reads: 645 MB down to under 200. Of ALSA's, the
# sample sounds (the guest plays a sine) and what only alsabat and alsaloop
# link to.
rm -rf "$work"/root/var/cache/apt/archives/*.deb "$work"/root/var/lib/apt/lists/* \
  "$work"/root/usr/share/{doc,locale,icons,man,sounds} \
  "$work"/root/usr/lib/x86_64-linux-gnu/dri "$work"/root/usr/lib/x86_64-linux-gnu/libLLVM-*.so* \
  "$work"/root/usr/lib/x86_64-linux-gnu/libz3.so* \
  "$work"/root/usr/lib/x86_64-linux-gnu/{libfftw3f,libsamplerate}*.so*

install -m 755 "$here/init" "$work/root/init"
mkdir -p "$out"
(cd "$work/root" && find . -print0 | cpio --null -o -H newc --quiet) >"$out/initrd.cpio.tmp"
cp "$work"/kernel/boot/vmlinuz-* "$out/vmlinuz"
mv "$out/initrd.cpio.tmp" "$out/initrd.cpio"
chmod 644 "$out/vmlinuz" "$out/initrd.cpio"
stamp >"$out/stamp"
