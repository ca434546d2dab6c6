#!/bin/bash
# bench/blk/run.sh: fio in a coLinux guest on a virtio disk (/dev/vdb,
# a host file) against fio on the host on a file of the same size in the
# same directory. Prints a markdown table and writes it into
# bench/RESULTS.md (only the section of this benchmark).
#
# Usage: bench/blk/run.sh [--dir DIR]
#
# Environment (all optional):
#   BENCH_SECONDS  at most this many seconds of I/O per fio run (default 10)
#   RUNS           runs of each workload on each system; figures are the
#                  median (default 3)
#   DIR            where the disk files go, i.e. the host file system that
#                  is measured (default $WORK; --dir overrides)
#   SIZE           size of the data disk and of the host file (default 4G);
#                  each run is one pass over it, at most BENCH_SECONDS
#   GUEST_MEM      guest RAM (default 512M)
#   SYSTEMS        which columns to measure, default "host hostbuf guest"
#                  (host: O_DIRECT, hostbuf: buffered, guest: coLinux)
#   WORKLOADS      which rows, default all (names as in the table)
#   COLINUX        the monitor (default build/colinux)
#   GUEST_TIMEOUT  seconds one guest run may take (default BENCH_SECONDS+60)
#   WORK           scratch directory (default /tmp/colinux-bench-blk)
#   KEEP=1         keep the disk files (2 x SIZE) after the run
#   RESULTS        file to update (default bench/RESULTS.md); RESULTS=- only prints
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/colinux-bench-blk}
DIR=${DIR:-$WORK}
while [ $# -gt 0 ]; do
	case $1 in
	--dir) DIR=${2:?--dir needs a directory}; shift 2 ;;
	--dir=*) DIR=${1#--dir=}; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
BENCH_SECONDS=${BENCH_SECONDS:-10}
RUNS=${RUNS:-3}
SIZE=${SIZE:-4G}
GUEST_MEM=${GUEST_MEM:-512M}
SYSTEMS=${SYSTEMS:-host hostbuf guest}
COLINUX=${COLINUX:-$ROOT/build/colinux}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-$((BENCH_SECONDS + 60))}
RESULTS=${RESULTS:-$ROOT/bench/RESULTS.md}
KEEP=${KEEP-}

SECTION='## Block I/O (fio)'
# name rw bs iodepth ioengine; report.py has the same list.
ALL_WORKLOADS='
seqread-1m-qd1 read 1m 1 psync
seqread-1m-qd32 read 1m 32 libaio
seqwrite-1m-qd1 write 1m 1 psync
seqwrite-1m-qd32 write 1m 32 libaio
randread-4k-qd1 randread 4k 1 psync
randread-4k-qd32 randread 4k 32 libaio
randwrite-4k-qd1 randwrite 4k 1 psync
randwrite-4k-qd32 randwrite 4k 32 libaio
'
WORKLOADS=${WORKLOADS:-$(echo "$ALL_WORKLOADS" | awk 'NF { print $1 }')}

msg() { printf '== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }
want() { case " $SYSTEMS " in *" $1 "*) return 0 ;; esac; return 1; }

command -v fio >/dev/null || die "fio is not installed: apt-get install fio"
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 is not installed: apt-get install e2fsprogs"
command -v cpio >/dev/null || die "cpio is not installed: apt-get install cpio"
command -v python3 >/dev/null || die "python3 is not installed: apt-get install python3"
if want guest; then
	[ -x "$COLINUX" ] || die "$COLINUX missing: make build/colinux"
	if ! [ -f "$ROOT/build/initramfs.cpio.gz" ] || ! [ -x "$ROOT/build/colinux-init" ]; then
		die "build/initramfs.cpio.gz or build/colinux-init missing: make"
	fi
fi

mkdir -p "$WORK/out" "$DIR" || die "cannot create $WORK or $DIR"
OUT=$WORK/out
rm -f "$OUT"/*
ROOTIMG=$WORK/root.img
GDATA=$DIR/colinux-bench-guest.img
HDATA=$DIR/colinux-bench-host.dat
cleanup() { [ -n "$KEEP" ] || rm -f "$GDATA" "$HDATA"; }
trap cleanup EXIT

# --- the guest root: busybox from the default initramfs, our init, fio -----
# fio is Debian's, dynamically linked: it goes in with every library ldd
# names, at the same paths, ld.so included.
make_root() {
	local st=$WORK/stage lib
	rm -rf "$st" && mkdir -p "$st" || return 1
	(cd "$st" && zcat "$ROOT/build/initramfs.cpio.gz" | cpio -id --quiet 2>/dev/null)
	[ -x "$st/bin/busybox" ] || { echo "no busybox in build/initramfs.cpio.gz"; return 1; }
	# On a disk root the kernel runs /sbin/init, busybox's in the initramfs.
	rm -f "$st/sbin/init" && cp "$ROOT/build/colinux-init" "$st/sbin/init" || return 1
	cp --parents /usr/bin/fio "$st" || return 1
	for lib in $(ldd /usr/bin/fio | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		cp -L --parents "$lib" "$st" || return 1
	done
	rm -f "$ROOTIMG"
	truncate -s 512M "$ROOTIMG" && mkfs.ext4 -q -F -d "$st" "$ROOTIMG"
}

# guest <log> <command>: boot coLinux on the bench root with the data disk,
# run <command>; its exit status is the guest command's.
guest() {
	timeout -k 10 "$GUEST_TIMEOUT" "$COLINUX" run --mem "$GUEST_MEM" \
		--disk "$ROOTIMG,ro" --disk "$GDATA" --exec "$2" </dev/null >"$1" 2>&1
}

# Build info of what is measured (HEAD may not be what was built), taken
# before the run; the monitor, its kernel and stub are copied so that a
# rebuild during the run does not change them half-way.
colinux_build() {
	local dirty
	dirty=$(git -C "$ROOT" status --porcelain -- host kernel include images Makefile 2>/dev/null | wc -l)
	[ "$dirty" -gt 0 ] && printf '%s uncommitted file(s) in host/ kernel/ include/ images/, ' "$dirty"
	printf 'build/colinux of %s, build/vmlinux of %s' \
		"$(date -u -r "$COLINUX" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')" \
		"$(date -u -r "$(dirname "$COLINUX")/vmlinux" '+%H:%M UTC' 2>/dev/null || echo '?')"
}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
BUILD=$(colinux_build)
if want guest; then
	bindir=$(dirname "$COLINUX")
	if [ -f "$bindir/vmlinux" ] && [ -f "$bindir/colinux-stub" ]; then
		if ! mkdir -p "$WORK/bin" || ! cp "$COLINUX" "$WORK/bin/colinux" ||
			! cp "$bindir/vmlinux" "$bindir/colinux-stub" "$WORK/bin/"; then
			die "cannot copy $COLINUX and its vmlinux, colinux-stub to $WORK/bin"
		fi
		COLINUX=$WORK/bin/colinux
	fi
fi

if want guest; then
	msg "building the guest root image ($ROOTIMG)"
	make_root >"$OUT/mkroot.log" 2>&1 || die "could not build the guest root image: $(tail -n 3 "$OUT/mkroot.log")"
fi

# Both data files are filled with random data: reading a hole costs the
# host no I/O, which would flatter whichever side reads holes.
fill() {
	rm -f "$1"
	if ! truncate -s "$SIZE" "$1" ||
		! fio --name=fill --filename="$1" --rw=write --bs=1m --size="$SIZE" \
			--ioengine=psync --refill_buffers --end_fsync=1 --eta=never >"$OUT/fill.log" 2>&1; then
		die "could not fill $1: $(tail -n 3 "$OUT/fill.log")"
	fi
}
if want host || want hostbuf; then
	msg "filling $HDATA ($SIZE)"
	fill "$HDATA"
fi
if want guest; then
	msg "filling $GDATA ($SIZE)"
	fill "$GDATA"
	guest "$OUT/guest-check.log" 'fio --version && cat /sys/block/vdb/size && fio --name=aio --filename=/dev/vdb --direct=1 --rw=read --bs=4k --size=1m --ioengine=libaio --iodepth=32 --eta=never --output-format=terse >/dev/null && echo LIBAIO-OK' ||
		die "fio does not run in the guest: $(grep -v '^\[' "$OUT/guest-check.log" | tail -n 3)"
	grep -q '^fio-' "$OUT/guest-check.log" || die "no fio --version from the guest, see $OUT/guest-check.log"
	grep -q LIBAIO-OK "$OUT/guest-check.log" ||
		die "libaio does not work in the guest (see $OUT/guest-check.log)"
fi

# cold <file>: write the file's dirty pages back and drop it from the host
# page cache, so every run starts from the disk, guest runs included (the
# guest's disk is buffered host I/O: without this its reads would come from
# the pages the previous run left). Only this file's pages, nobody else's.
cold() {
	python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.fsync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$1"
}

# measure <system> <workload> <run>: one fio run, its JSON in
# $OUT/<system>.<workload>.<run>.json, or a reason in .err.
measure() {
	local sys=$1 w=$2 r=$3 rw bs qd eng args direct=0 base=$OUT/$1.$2.$3
	read -r _ rw bs qd eng <<<"$(echo "$ALL_WORKLOADS" | awk -v w="$w" '$1 == w')"
	[ -n "$rw" ] || { echo "unknown workload $w" >"$base.err"; return; }
	# One pass over the file (random: no block twice), cut at BENCH_SECONDS:
	# a time-based run would wrap around and read the host page cache on
	# every side but host O_DIRECT. Writes end with an fsync, counted in
	# the figure, so buffered data has reached the disk as with O_DIRECT.
	args="--name=$w --rw=$rw --bs=$bs --iodepth=$qd --ioengine=$eng --size=$SIZE --runtime=$BENCH_SECONDS --lat_percentiles=1 --eta=never --output-format=json"
	case $rw in *write) args="$args --end_fsync=1" ;; esac
	case $sys in
	host | hostbuf)
		cold "$HDATA"
		[ "$sys" = host ] && direct=1
		# shellcheck disable=SC2086 # args is a list of words
		fio $args --filename="$HDATA" --direct=$direct \
			--output="$base.json" >"$base.log" 2>&1 ||
			{ echo "fio exit $?: $(tail -n 2 "$base.log" | tr '\n' ' ')" >"$base.err"; rm -f "$base.json"; }
		;;
	guest)
		cold "$GDATA"
		guest "$base.log" "fio $args --filename=/dev/vdb --direct=1 --output=/tmp/fio.json; rc=\$?; echo @@FIO-JSON-BEGIN; cat /tmp/fio.json; echo @@FIO-JSON-END; exit \$rc"
		local rc=$?
		# The JSON between the markers, without kernel log lines.
		awk '/^@@FIO-JSON-END/ { p = 0 } p && !/^\[ *[0-9]+\.[0-9]+\]/ { print } /^@@FIO-JSON-BEGIN/ { p = 1 }' \
			"$base.log" | tr -d '\r' >"$base.json"
		if [ $rc != 0 ] || ! [ -s "$base.json" ]; then
			echo "guest exit $rc: $(grep -av '^@@' "$base.log" | grep -aiE 'error|fail|panic|fio:' | head -n 2 | tr '\n' ' ')" >"$base.err"
			rm -f "$base.json"
		fi
		;;
	esac
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
n=0
total=$(($(wc -w <<<"$WORKLOADS") * $(wc -w <<<"$SYSTEMS") * RUNS))
# Runs are interleaved (run 1 of everything, then run 2, ...) so that a
# noisy minute on the machine hits every system alike.
for r in $(seq "$RUNS"); do
	for w in $WORKLOADS; do
		for s in $SYSTEMS; do
			n=$((n + 1))
			msg "[$n/$total] $s $w run $r"
			measure "$s" "$w" "$r"
			[ -f "$OUT/$s.$w.$r.err" ] && printf 'run.sh: %s\n' "$(cat "$OUT/$s.$w.$r.err")" >&2
		done
	done
done
msg "measured in $(($(date +%s) - start)) s"

{
	echo "DATE=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "CPU=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
	echo "NCPU=$(nproc)"
	echo "KERNEL=$(uname -r)"
	echo "COMMIT=$COMMIT"
	echo "BUILD=$BUILD"
	echo "DIR=$DIR"
	echo "FSTYPE=$(findmnt -n -o FSTYPE -T "$DIR")"
	echo "FSDEV=$(findmnt -n -o SOURCE -T "$DIR")"
	echo "SIZE=$SIZE"
	echo "LOAD_BEFORE=$LOAD_BEFORE"
	echo "LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "FIO=$(fio --version)"
	echo "SECONDS=$BENCH_SECONDS"
	echo "RUNS=$RUNS"
	echo "GUEST_MEM=$GUEST_MEM"
	echo "SYSTEMS=$SYSTEMS"
} >"$OUT/meta.env"

python3 "$HERE/report.py" "$OUT" >"$OUT/section.md" || die "report.py failed"
cat "$OUT/section.md"

if [ "$RESULTS" != - ]; then
	"$HERE/../lib/replace-section.sh" "$RESULTS" "$SECTION" \
		"$OUT/section.md"
	msg "wrote $RESULTS"
fi
