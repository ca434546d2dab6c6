#!/bin/bash
# A bootable ext4 disk image with the default busybox system: the same
# user land as the initramfs (mkinitramfs.sh), with our init as /sbin/init
# (the kernel runs it with root=/dev/vda). Run by `colinux image busybox`.
#
#   mkdisk.sh OUT SIZE-BYTES [INIT [PROFILE]]
#
# INIT defaults to build/colinux-init, PROFILE to the profile beside this
# script. The tree is staged in a temporary directory and written with
# `mkfs.ext4 -d`: no root, no loop mount. Owners come from the staged
# files, so without root they would be the invoking user's; one debugfs
# pass then gives every inode to root (0:0), as on a real root file
# system. The same pass adds /dev/console and /dev/null, which an
# unprivileged user cannot mknod (devtmpfs hides them once mounted; they
# matter only if it is not). OUT appears only when complete: the image
# is built as OUT.tmp and renamed.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin	# mkfs.ext4 and debugfs; not in a user's PATH

out=${1:?usage: mkdisk.sh OUT SIZE-BYTES [INIT [PROFILE]]}
size=${2:?usage: mkdisk.sh OUT SIZE-BYTES [INIT [PROFILE]]}
here=$(cd "$(dirname "$0")" && pwd)
init=${3:-$here/../../build/colinux-init}
profile=${4:-$here/profile}
bb=/bin/busybox
case $out in -*) out=./$out ;; esac	# not an option to truncate or mkfs

die() { echo "image: $*" >&2; exit 1; }

case $size in
'' | *[!0-9]*) die "size '$size' is not a number of bytes" ;;
esac
if ! [ -x "$bb" ] || ! file -L "$bb" | grep -q 'statically linked'; then
	die "$bb is not Debian's static busybox: apt-get install busybox-static"
fi
for t in mkfs.ext4 debugfs; do
	command -v "$t" >/dev/null || die "$t missing: apt-get install e2fsprogs"
done
[ -x "$init" ] || die "$init missing: build it with make"
[ -r "$profile" ] || die "$profile missing"

if [ $((size % (1 << 40))) -eq 0 ]; then
	human=$((size >> 40))T
elif [ $((size % (1 << 30))) -eq 0 ]; then
	human=$((size >> 30))G
elif [ $((size % (1 << 20))) -eq 0 ]; then
	human=$((size >> 20))M
else
	human="$size bytes"
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/colinux-image.XXXXXX")
tmp=$out.tmp
done_ok=
cleanup() {
	rm -rf "$stage"
	[ -n "$done_ok" ] || [ ! -f "$tmp" ] || rm -f "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

echo "image: staging busybox $("$bb" | head -n 1 | cut -d' ' -f2) and $(basename "$init") ..."
root=$stage/root
umask 022
(cd "$stage" && mkdir root && cd root &&
	mkdir bin sbin usr usr/bin usr/sbin etc proc sys dev tmp root mnt var \
		run home)
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$bb" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
# Relative links, so the tree also reads right from the host (debugfs,
# a mount elsewhere). /sbin/init is ours, not busybox's applet. One perl
# (Essential in Debian) makes them all: a fork per link costs seconds.
"$bb" --list-full | root=$root perl -ne '
	chomp;
	next if $_ eq "bin/busybox" || $_ eq "sbin/init";
	my $to = m{^bin/} ? "busybox" : "../" x tr{/}{} . "bin/busybox";
	symlink($to, "$ENV{root}/$_") or die "image: $_: $!\n";'
cp "$init" "$root/sbin/init"
chmod 755 "$root/sbin/init"
cp "$profile" "$root/etc/profile"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'colinux\n' >"$root/etc/hostname"
printf '# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/vda / ext4 defaults 0 1\n' \
	>"$root/etc/fstab"
chmod 644 "$root/etc/profile" "$root/etc/passwd" "$root/etc/group" \
	"$root/etc/hostname" "$root/etc/fstab"

echo "image: writing ext4 file system ($human) ..."
rm -f "$tmp"
truncate -s "$size" "$tmp"
mkfs.ext4 -q -F -L colinux-root -d "$root" -E root_owner=0:0 "$tmp"

# The fix-ups: device nodes, and root as the owner of everything.
{
	echo "cd /dev"	# mknod takes a name in the current directory
	echo "mknod console c 5 1"
	echo "sif console mode 020600"
	echo "mknod null c 1 3"
	echo "sif null mode 020666"
	echo "cd /"
	if [ "$(id -u)" != 0 ]; then
		(cd "$root" && find . -mindepth 1) | while read -r p; do
			echo "sif \"${p#.}\" uid 0"
			echo "sif \"${p#.}\" gid 0"
		done
	fi
} >"$stage/fixup"
# debugfs reports a failed request on stderr but still exits 0.
debugfs -w -f "$stage/fixup" "$tmp" >/dev/null 2>"$stage/fixup.err" ||
	die "debugfs on $tmp failed: $(cat "$stage/fixup.err")"
if grep -v '^debugfs [0-9]' "$stage/fixup.err" | grep -q .; then
	die "debugfs on $tmp: $(grep -v '^debugfs [0-9]' "$stage/fixup.err" | head -n 3)"
fi

mv -f "$tmp" "$out"
done_ok=1
used=$(( $(stat -c '%b * %B' "$out") >> 20 ))
echo "image: $out ready ($used MiB allocated of $human)"
