#!/bin/bash
# Build the default guest image: a gzip'd initramfs with Debian's static
# busybox and our /init (images/busybox/init.c, built by make). Usage: mkinitramfs.sh OUT.cpio.gz [EXTRA-DIR]
# Files in EXTRA-DIR (test programs, say) are added under /. The archive
# is written by the kernel's own gen_init_cpio (built with the kernel),
# so device nodes need no root.
set -euo pipefail
out=$1
extra=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
gen=${GEN_INIT_CPIO:-$top/build/kernel/usr/gen_init_cpio}
init=${INIT_BIN:-$top/build/colinux-init}
bb=/bin/busybox
if ! [ -x "$bb" ] || ! file -L "$bb" | grep -q 'statically linked'; then
	echo "image: $bb is not Debian's static busybox: apt-get install busybox-static" >&2
	exit 1
fi
[ -x "$init" ] || { echo "image: $init missing: build it with make" >&2; exit 1; }
[ -x "$gen" ] || { echo "image: $gen missing: build the kernel first (make kernel)" >&2; exit 1; }

list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
	for d in /bin /sbin /usr /usr/bin /usr/sbin /etc /proc /sys /dev /tmp /root; do
		echo "dir $d 755 0 0"
	done
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "nod /dev/null 666 0 0 c 1 3"
	echo "file /bin/busybox $bb 755 0 0"
	for app in $("$bb" --list-full); do
		[ "/$app" = /bin/busybox ] || echo "slink /$app /bin/busybox 777 0 0"
	done
	echo "file /init $init 755 0 0"
	echo "file /etc/profile $here/profile 644 0 0"
	if [ -n "$extra" ]; then
		(cd "$extra" && find . -mindepth 1 -type d | sort) | while read -r d; do
			echo "dir ${d#.} 755 0 0"
		done
		(cd "$extra" && find . -type f | sort) | while read -r f; do
			echo "file ${f#.} $extra/${f#./} $(stat -c %a "$extra/$f") 0 0"
		done
	fi
} >"$list"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$list.passwd"
printf 'root:x:0:\n' >"$list.group"
echo "file /etc/passwd $list.passwd 644 0 0" >>"$list"
echo "file /etc/group $list.group 644 0 0" >>"$list"
"$gen" "$list" | gzip -9 -n >"$out.tmp"
rm -f "$list.passwd" "$list.group"
mv "$out.tmp" "$out"
echo "image: $out ($(du -h "$out" | cut -f1))"
