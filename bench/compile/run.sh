#!/bin/bash
# bench/compile/run.sh: a real compile, natively, in coLinux and in the
# peers. The workload: gcc -O2 -c of each of the monitor's C files (host/),
# one gcc (and its cc1 and as) per file, as make would run them, ROUNDS
# times; the figure is the median wall time of a round. Every system runs
# the same host binaries (gcc 12, cc1, as) on the same sources: coLinux,
# QEMU and UML from an initramfs holding exactly what the compile reads
# (the toolchain, its libraries, and the headers gcc -M names).
#
# Environment (all optional):
#   SYSTEMS      default "native qemu uml runsc colinux colinux-block"
#   ROUNDS       rounds per system (default 3; QEMU TCG always runs 1)
#   WORK         scratch directory (default /tmp/colinux-bench-compile)
#   RESULTS      file to update (default bench/RESULTS.md); RESULTS=- prints
#   TIMEOUT      seconds per system (default 900)
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/colinux-bench-compile}
SYSTEMS=${SYSTEMS:-native qemu uml runsc colinux colinux-block}
ROUNDS=${ROUNDS:-3}
RESULTS=${RESULTS:-$ROOT/bench/RESULTS.md}
TIMEOUT=${TIMEOUT:-900}
SECTION='## A real compile (bench/compile)'

msg() { printf '== %s\n' "$*" >&2; }
die() { printf 'compile/run.sh: %s\n' "$*" >&2; exit 1; }
want() { case " $SYSTEMS " in *" $1 "*) return 0 ;; esac; return 1; }

OUT=$WORK/out
TREE=$WORK/tree
rm -rf "$WORK" && mkdir -p "$OUT" "$TREE" || die "cannot create $WORK"
command -v gcc >/dev/null || die "gcc is needed"
[ -x /bin/busybox ] || die "busybox-static is needed"

# --- the tree: sources, toolchain, libraries, headers -----------------------
msg "collecting the toolchain and sources"
SRCS=$(cd "$ROOT" && ls host/cli/*.c host/engine/*.c host/virtio/*.c)
CFLAGS='-std=gnu11 -O2 -Iinclude -Ihost'
mkdir -p "$TREE/bench/src"
(cd "$ROOT" && cp --parents $SRCS "$TREE/bench/src/" &&
	cp -r include host "$TREE/bench/src/" 2>/dev/null) || die "cannot copy the sources"
echo "$SRCS" >"$TREE/bench/src/files"
# Every header the compile reads, at its own path.
(cd "$ROOT" && for f in $SRCS; do gcc $CFLAGS -M "$f"; done) |
	tr ' \\' '\n\n' | grep '^/' | sort -u >"$WORK/headers" || die "gcc -M failed"
cc1=$(gcc -print-prog-name=cc1)
gccbin=$(readlink -f "$(command -v gcc)")
asbin=$(readlink -f "$(command -v as)")
copy() { cp -L --parents "$1" "$TREE/" || die "cannot copy $1"; }
while read -r h; do copy "$h"; done <"$WORK/headers"
copy "$cc1"
mkdir -p "$TREE/usr/bin" "$TREE/bin" "$TREE/tmp" "$TREE/proc" "$TREE/dev" "$TREE/sys"
cp "$gccbin" "$TREE/usr/bin/gcc" && cp "$asbin" "$TREE/usr/bin/as" || die "cannot copy gcc, as"
for b in "$cc1" "$gccbin" "$asbin"; do
	ldd "$b" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'
done | sort -u | while read -r l; do [ -e "$l" ] && copy "$l"; done
cat >"$TREE/bench/compile.sh" <<'EOF'
#!/bin/sh
# compile.sh ROUNDS: one gcc -c per source file, ROUNDS times.
cd /bench/src || exit 1
mkdir -p /tmp/compile-out
r=0
while [ "$r" -lt "$1" ]; do
	t0=$(cut -d' ' -f1 /proc/uptime)
	for f in $(cat files); do
		gcc -std=gnu11 -O2 -Iinclude -Ihost -c "$f" -o /tmp/compile-out/out.o || exit 1
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "ROUND $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')"
	r=$((r + 1))
done
echo COMPILE-END
EOF
chmod 755 "$TREE/bench/compile.sh"
TREE_MB=$(du -sm "$TREE" | cut -f1)

# A plain initramfs for QEMU and UML: busybox and a shell /init.
plain_initramfs() { # plain_initramfs <out> <rounds>
	local d=$WORK/plain
	rm -rf "$d" && cp -a "$TREE" "$d" && cp /bin/busybox "$d/bin/busybox" &&
		ln -sf busybox "$d/bin/sh" || return 1
	cat >"$d/init" <<EOF
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs dev /dev 2>/dev/null
PATH=/usr/bin:/bin sh /bench/compile.sh $2
poweroff -f
EOF
	chmod 755 "$d/init"
	(cd "$d" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$1"
}

# rounds <system> <log>: the ROUND lines of a log, one per line.
# (A console may put escape sequences before it on the same line.)
rounds() { tr -d '\r' <"$2" | grep -aoE 'ROUND [0-9]+' | awk '{ print $2 }' >"$OUT/$1.rounds"; }
status() { printf '%s\n' "$2" >"$OUT/$1.status"; }
run_logged() { # run_logged <system> <command...>
	local s=$1 start
	shift
	start=$(date +%s)
	timeout -k 10 "$TIMEOUT" "$@" </dev/null >"$OUT/$s.log" 2>&1
	echo $? >"$OUT/$s.rc"
	echo $(($(date +%s) - start)) >"$OUT/$s.secs"
	rounds "$s" "$OUT/$s.log"
}
failed() { # failed <system>: a status line for a run without rounds
	printf 'FAILED (exit %s after %s s): %s' "$(cat "$OUT/$1.rc")" "$(cat "$OUT/$1.secs")" \
		"$(tr -d '\r' <"$OUT/$1.log" | grep -av '^\[' | grep -av '^$' | tail -n 2 | tr '\n' ' ')"
}

if want native; then
	msg "native"
	run_logged native sh -c "cd '$TREE/bench/src' && sh -c \"\$(sed 's#/bench/src#$TREE/bench/src#' '$TREE/bench/compile.sh')\" compile $ROUNDS"
	[ -s "$OUT/native.rounds" ] && status native "host kernel $(uname -r), $(gcc --version | head -n 1)" ||
		status native "$(failed native)"
fi

if want runsc; then
	msg "gVisor (runsc)"
	if command -v runsc >/dev/null; then
		mkdir -p "$WORK/runsc-state"
		run_logged runsc runsc --network=none --platform=ptrace --root="$WORK/runsc-state" \
			do sh -c "cd '$TREE/bench/src' && sh -c \"\$(sed 's#/bench/src#$TREE/bench/src#' '$TREE/bench/compile.sh')\" compile $ROUNDS"
		[ -s "$OUT/runsc.rounds" ] &&
			status runsc "Debian runsc $(dpkg-query -W -f='${Version}' runsc), ptrace platform, runsc do" ||
			status runsc "$(failed runsc)"
	else
		status runsc "not installed (bench/syscall/run.sh installs it)"
	fi
fi

if want qemu; then
	msg "QEMU TCG (1 round)"
	kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
	if ! command -v qemu-system-x86_64 >/dev/null || [ -z "$kernel" ]; then
		status qemu "not installed (bench/syscall/run.sh installs qemu-system-x86 and linux-image-amd64)"
	elif plain_initramfs "$WORK/plain.cpio.gz" 1; then
		run_logged qemu qemu-system-x86_64 -accel tcg -m 1024 -nographic -no-reboot \
			-kernel "$kernel" -initrd "$WORK/plain.cpio.gz" -append 'console=ttyS0 quiet panic=-1'
		[ -s "$OUT/qemu.rounds" ] &&
			status qemu "$(qemu-system-x86_64 --version | head -n 1), 1 vCPU, guest $(basename "$kernel"), one round" ||
			status qemu "$(failed qemu)"
	fi
fi

if want uml; then
	msg "User-mode Linux"
	if ! [ -x /usr/bin/linux ]; then
		status uml "not installed (bench/syscall/run.sh installs user-mode-linux)"
	elif plain_initramfs "$WORK/plain-uml.cpio.gz" "$ROUNDS"; then
		(cd "$WORK" && TMPDIR=/dev/shm run_logged uml /usr/bin/linux mem=1G \
			initrd="$WORK/plain-uml.cpio.gz" con=null con0=fd:0,fd:1)
		[ -s "$OUT/uml.rounds" ] &&
			status uml "Debian user-mode-linux $(dpkg-query -W -f='${Version}' user-mode-linux), initramfs" ||
			status uml "$(failed uml)"
	fi
fi

for s in colinux colinux-block; do
	want $s || continue
	args='--mem 1G'
	[ $s = colinux-block ] && args="$args --handoff block"
	msg "coLinux ($args)"
	if ! [ -x "$ROOT/build/colinux" ]; then
		status $s "not built (make)"
		continue
	fi
	[ -s "$WORK/colinux.cpio.gz" ] ||
		"$ROOT/images/busybox/mkinitramfs.sh" "$WORK/colinux.cpio.gz" "$TREE" >/dev/null ||
		die "cannot build the coLinux image"
	# shellcheck disable=SC2086 # args is split on purpose
	run_logged $s "$ROOT/build/colinux" run $args --initrd "$WORK/colinux.cpio.gz" \
		--exec "PATH=/usr/bin:/bin sh /bench/compile.sh $ROUNDS"
	[ -s "$OUT/$s.rounds" ] &&
		status $s "\`build/colinux run $args\`, commit $(git -C "$ROOT" rev-parse --short HEAD)" ||
		status $s "$(failed $s)"
done

# --- report -------------------------------------------------------------------
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
report() {
	local s m n
	declare -A TITLE=([native]=native [qemu]='QEMU TCG' [uml]=UML [runsc]=gVisor
		[colinux]='coLinux' [colinux-block]='coLinux `--handoff block`')
	echo "$SECTION"
	echo
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on \`$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)\`, $(nproc) CPUs. The $(echo "$SRCS" | wc -w) C files of host/ compiled with \`gcc $CFLAGS -c\`, one gcc per file, the files in tmpfs or an initramfs ($TREE_MB MB of toolchain, libraries, headers and sources). Median of $ROUNDS rounds (QEMU: 1). Re-run: \`bench/compile/run.sh\`."
	echo
	echo "| system | seconds per round | vs native | rounds (ms) |"
	echo "|---|---:|---:|---|"
	n=$([ -s "$OUT/native.rounds" ] && median "$OUT/native.rounds")
	for s in native qemu uml runsc colinux colinux-block; do
		want "$s" || continue
		if [ -s "$OUT/$s.rounds" ]; then
			m=$(median "$OUT/$s.rounds")
			printf '| %s | %s | %s | %s |\n' "${TITLE[$s]}" \
				"$(awk -v m="$m" 'BEGIN { printf "%.2f", m / 1000 }')" \
				"$([ -n "$n" ] && awk -v m="$m" -v n="$n" 'BEGIN { printf "%.2fx", m / n }' || echo –)" \
				"$(tr '\n' ' ' <"$OUT/$s.rounds")"
		else
			printf '| %s | – | – | – |\n' "${TITLE[$s]}"
		fi
	done
	echo
	for s in native qemu uml runsc colinux colinux-block; do
		want "$s" && [ -f "$OUT/$s.status" ] && printf -- '- %s: %s\n' "${TITLE[$s]}" "$(cat "$OUT/$s.status")"
	done
}
report >"$OUT/section.md"
cat "$OUT/section.md"
if [ "$RESULTS" != - ]; then
	"$HERE/../lib/replace-section.sh" "$RESULTS" "$SECTION" "$OUT/section.md"
	msg "wrote $RESULTS"
fi
