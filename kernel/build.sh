#!/bin/bash
# Build the coLinux guest kernel (ARCH=colinux) out of tree.
#
# Unpacks Debian's linux-source-6.1 under build/linux-6.1 once, links our
# port in as arch/colinux (a symlink, so editing a port file rebuilds only
# what depends on it), applies kernel/configs/colinux_defconfig when it
# changes, and builds vmlinux with ccache into build/kernel. The result is
# copied to build/vmlinux only when it changed, so `make` stays a no-op
# when nothing did.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src_tar=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.1.tar.xz}
build=$top/build
tree=$build/linux-6.1
obj=$build/kernel
defconfig=$top/kernel/configs/colinux_defconfig
jobs=${JOBS:-$(nproc)}
start=$(date +%s)

say() { printf 'kernel: %s\n' "$*"; }

if [ ! -f "$src_tar" ]; then
	echo "kernel: $src_tar is missing: apt-get install linux-source-6.1" >&2
	exit 1
fi

if [ ! -f "$tree/.colinux-unpacked" ]; then
	say "unpacking $(basename "$src_tar") into build/linux-6.1 (once)"
	rm -rf "$tree" "$build/linux-source-6.1"
	mkdir -p "$build"
	tar -xJf "$src_tar" -C "$build"
	mv "$build/linux-source-6.1" "$tree"
	touch "$tree/.colinux-unpacked"
fi
ln -sfn "$top/kernel/arch/colinux" "$tree/arch/colinux"
ln -sfn "$top/include/colinux" "$tree/include/colinux"

mkdir -p "$obj"
# Make the build independent of the clone's path for ccache hits.
export CCACHE_BASEDIR=$top
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/colinux-ccache}
export CCACHE_NOHASHDIR=1
export KBUILD_BUILD_USER=colinux KBUILD_BUILD_HOST=colinux
export KBUILD_BUILD_TIMESTAMP='2026-01-01'
cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
kmake=(make -C "$tree" O="$obj" ARCH=colinux CC="$cc" -j"$jobs")

if [ ! -f "$obj/.config" ] || ! cmp -s "$defconfig" "$obj/.colinux_defconfig"; then
	say "configuring from kernel/configs/colinux_defconfig"
	cp "$defconfig" "$obj/.config"
	"${kmake[@]}" -s olddefconfig
	cp "$defconfig" "$obj/.colinux_defconfig"
fi

say "building vmlinux (ccache: $CCACHE_DIR)"
# Kbuild prints one line per file it compiles: number them for progress.
set +e
"${kmake[@]}" vmlinux 2>&1 | awk '
	/^  (CC|AS|LD|AR|GEN|CHK|UPD|SYSTBL|SYSHDR|WRAP|HOSTCC|HOSTLD)/ { n++; printf "kernel: [%4d] %s\n", n, $0; fflush(); next }
	{ print; fflush() }'
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || { echo "kernel: build failed (see the errors above)" >&2; exit "$rc"; }

if ! cmp -s "$obj/vmlinux" "$build/vmlinux"; then
	cp "$obj/vmlinux" "$build/vmlinux"
	say "build/vmlinux updated in $(( $(date +%s) - start )) s"
else
	say "build/vmlinux up to date"
fi
