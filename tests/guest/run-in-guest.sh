#!/bin/bash
# Build the guest test suite, put it in an image with the libraries the
# dynamic programs need, and run it inside a colinux guest.
# Usage: tests/guest/run-in-guest.sh [--mem 1G]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s -C tests/guest >/dev/null
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/tests" "$root/lib64" "$root/lib/x86_64-linux-gnu"
cp build/tests/guest/*_test-* build/tests/guest/run-all.sh "$root/tests/"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
for l in libc.so.6 libgcc_s.so.1 libm.so.6; do
	cp -L "/lib/x86_64-linux-gnu/$l" "$root/lib/x86_64-linux-gnu/"
done
images/busybox/mkinitramfs.sh build/tests/guest/image.cpio.gz "$root" >/dev/null
build/colinux run --mem "${MEM:-1G}" --initrd build/tests/guest/image.cpio.gz \
	--exec 'sh /tests/run-all.sh /tests' | grep -v '^\['
