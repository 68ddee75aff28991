#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Another computer, on this one: sshd on 127.0.0.1 with a configuration of
# its own, and a second unprivileged user whose qemu:///session is the
# "remote" host's. The test user gets a key that user accepts and the
# host's key in its known_hosts, as a person's SSH set-up would have them;
# then the test runs as the test user (as-test-user.sh) with VMD_SSH_URI,
# qemu+ssh://vmdesk-remote@127.0.0.1:PORT/session, and VMD_REMOTE_SHARE, a
# folder both users read. Needs root (users, sshd); skips otherwise.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP sshd and a second user need root"
  exit 0
fi

test_user="${VMD_TEST_USER:-vmdesk-test}"
remote_user="${VMD_REMOTE_USER:-vmdesk-remote}"
getent group kvm >/dev/null || groupadd -r kvm
for user in "$test_user" "$remote_user"; do
  id "$user" >/dev/null 2>&1 || useradd -m -G kvm -s /bin/bash "$user"
done
# With no password the account is locked, and sshd refuses a locked one.
usermod -p '*' "$remote_user"

dir="$(mktemp -d /tmp/vmdesk-sshd.XXXXXX)"
sshd_pid=""
cleanup () {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
  # The remote side's session daemon, guests and images go with the run.
  pkill -u "$remote_user" 2>/dev/null || true
  remote_home="$(getent passwd "$remote_user" | cut -d: -f6)"
  rm -rf "$dir" "$remote_home/.config/libvirt" "$remote_home/.cache/libvirt" \
    "$remote_home/.local/share/vmdesk" "$remote_home/.local/share/libvirt"
}
trap cleanup EXIT
chmod 755 "$dir"
mkdir -p "$dir/share" /run/sshd
chown "$test_user:" "$dir/share"

# The test user's key: its own if it has one.
home="$(getent passwd "$test_user" | cut -d: -f6)"
install -d -m 700 -o "$test_user" -g "$test_user" "$home/.ssh"
if [ ! -f "$home/.ssh/id_ed25519" ]; then
  runuser -u "$test_user" -- ssh-keygen -q -t ed25519 -N '' -C vmdesk-test -f "$home/.ssh/id_ed25519"
fi
install -m 644 "$home/.ssh/id_ed25519.pub" "$dir/authorized_keys"
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat > "$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $remote_user
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
CONFIG
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
for _ in $(seq 100); do
  [ -s "$dir/sshd.pid" ] && ss -ltn "sport = :$port" | grep -q LISTEN && break
  sleep 0.1
done
sshd_pid="$(cat "$dir/sshd.pid")"

# This host's key, known to the test user as a person would have accepted it.
known="$home/.ssh/known_hosts"
touch "$known"
ssh-keygen -q -R "[127.0.0.1]:$port" -f "$known" >/dev/null 2>&1 || true
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_key.pub")" >> "$known"
chown "$test_user:" "$known"
chmod 600 "$known"
rm -f "$known.old"

export VMD_SSH_URI="qemu+ssh://$remote_user@127.0.0.1:$port/session"
export VMD_SSH_PORT="$port"
export VMD_REMOTE_SHARE="$dir/share"
export VMD_SSHD_LOG="$dir/sshd.log"
status=0
"$@" || status=$?
exit "$status"
