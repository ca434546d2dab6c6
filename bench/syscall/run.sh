#!/bin/bash
# bench/syscall/run.sh: build guestbench and measure it on this machine:
# native, the trap floor (trap-bench), QEMU TCG, User-mode Linux, gVisor
# (runsc) and coLinux (when built, or as COLINUX_RUN says). Prints a markdown table and
# writes it into bench/RESULTS.md (only the section of this benchmark).
#
# Environment (all optional):
#   SYSTEMS        which columns to measure, default
#                  "native trapfloor qemu uml runsc colinux"
#   COLINUX_RUN    command prefix that boots coLinux with an initramfs, run
#                  from the repository root; "{initrd}" in it is replaced by
#                  the benchmark initramfs, else "--initrd <initramfs>" is
#                  appended. Default, when build/colinux exists and its
#                  `run --help` offers --initrd:
#                  'build/colinux run --mem 512M --initrd {initrd}'
#                  COLINUX_RUN=none leaves the coLinux column out.
#   COLINUX_ARGS   guestbench arguments in the coLinux guest (default: full)
#   QEMU_ARGS      guestbench arguments in QEMU TCG (default:
#                  "--compute-iters 30000000": a tenth of the compute loop,
#                  extrapolated; everything else full)
#   UML_ARGS       guestbench arguments in UML (default: full)
#   RUNSC_ARGS     guestbench arguments in gVisor (default: full)
#   QEMU_TIMEOUT, UML_TIMEOUT, RUNSC_TIMEOUT, COLINUX_TIMEOUT  seconds
#   WORK           scratch directory (default /tmp/colinux-bench-syscall)
#   TRAP_BENCH     trap-bench sources (default /work/shared/trap-bench)
#   NO_INSTALL=1   never apt-get install missing peers
#   ROUNDS         rounds, each measuring every system once (default 3)
#   LOG_LIMIT      bytes of console output kept per guest (default 64 MiB)
#   RESULTS        file to update (default bench/RESULTS.md); RESULTS=- only prints
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/colinux-bench-syscall}
TRAP_BENCH=${TRAP_BENCH:-/work/shared/trap-bench}
SYSTEMS=${SYSTEMS:-native trapfloor qemu uml runsc colinux}
RESULTS=${RESULTS:-$ROOT/bench/RESULTS.md}
QEMU_ARGS=${QEMU_ARGS---compute-iters 30000000}
UML_ARGS=${UML_ARGS-}
RUNSC_ARGS=${RUNSC_ARGS-}
COLINUX_ARGS=${COLINUX_ARGS-}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-600}
UML_TIMEOUT=${UML_TIMEOUT:-300}
RUNSC_TIMEOUT=${RUNSC_TIMEOUT:-300}
COLINUX_TIMEOUT=${COLINUX_TIMEOUT:-300}
COLINUX_RUN=${COLINUX_RUN-}
NO_INSTALL=${NO_INSTALL-}
LOG_LIMIT=${LOG_LIMIT:-$((64 << 20))}
ROUNDS=${ROUNDS:-3}

SECTION='## Syscall and process benchmarks (bench/syscall)'
WORKLOADS='getppid forkexec pipe pagefault compute'
# Every system execs the same static busybox as "true" in forkexec.
TRUE_ARG='--true /bin/busybox'

msg() { printf '== %s\n' "$*" >&2; }
warn() { printf 'run.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }
want() { case " $SYSTEMS " in *" $1 "*) return 0 ;; esac; return 1; }

mkdir -p "$WORK/out" || die "cannot create $WORK"
OUT=$WORK/out
rm -f "$OUT"/*

# status <system> <text>: one line shown under the table for that system.
status() { printf '%s\n' "$2" >"$OUT/$1.status"; }

apt_updated=
# need_pkg <package> [binary to check]: install a Debian package if missing.
need_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed' && return 0
	if [ -n "$NO_INSTALL" ] || [ "$(id -u)" != 0 ]; then
		warn "package $1 is missing (apt-get install $1)"
		return 1
	fi
	msg "installing Debian package $1"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >"$OUT/apt-$1.log" 2>&1; then
		if [ -z "$apt_updated" ]; then
			apt_updated=1
			apt-get update >/dev/null 2>&1
			DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >"$OUT/apt-$1.log" 2>&1 && return 0
		fi
		warn "apt-get install $1 failed, see $OUT/apt-$1.log"
		return 1
	fi
}

# results <system> <file>: keep the RESULT lines of a console log (this
# round's) and add its single runs to the system's (every round's).
results() {
	tr -d '\r' <"$2" | grep -a '^RESULT ' >"$OUT/$1.res"
	tr -d '\r' <"$2" | grep -a '^# runs ' >>"$OUT/$1.runs"
}

# median_results <system>: its RESULT lines again, each the median of the
# single runs of every round.
median_results() {
	local s=$1 w unit m
	[ -s "$OUT/$s.runs" ] && [ -s "$OUT/$s.res" ] || return 0
	while read -r _ w _ unit; do
		m=$(awk -v w="$w" '$3 == w { for (i = 4; i <= NF; i++) print $i }' "$OUT/$s.runs" |
			sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
		[ -n "$m" ] && echo "RESULT $w $m $unit"
	done <"$OUT/$s.res" >"$OUT/$s.res.median"
	mv "$OUT/$s.res.median" "$OUT/$s.res"
}

# last_words <log>: the console lines that say why a guest stopped.
last_words() {
	local w
	w=$(tr -d '\r' <"$1" | grep -aE 'Failed to execute|not syncing|failed|error|Error|panic' | sed 's/^\[ *[0-9.]*\] //' | sed -n '1p;$p' | uniq)
	[ -n "$w" ] || w=$(tr -d '\r' <"$1" | grep -av '^$' | tail -n 2)
	printf '%s' "$w" | tr '\n' ' '
}

# guest <log> <timeout> <command...>: run a guest with no standard input,
# its output into <log>, cut at LOG_LIMIT bytes (a guest stuck printing one
# line forever ends by SIGPIPE instead of filling /tmp). Returns its status.
guest() {
	local log=$1 t=$2
	shift 2
	timeout -k 10 "$t" "$@" </dev/null 2>&1 | head -c "$LOG_LIMIT" >"$log"
	local rc=${PIPESTATUS[0]}
	if [ "$(stat -c %s "$log")" -ge "$LOG_LIMIT" ]; then
		printf '\n[run.sh: console output cut at %s bytes]\n' "$LOG_LIMIT" >>"$log"
	fi
	return "$rc"
}

# incomplete <log> <exit status> <seconds>: a prefix for the status line when
# guestbench did not finish (a guest's /init prints "GUESTBENCH-END rc=0").
incomplete() {
	grep -aq 'GUESTBENCH-END rc=0' "$1" && return 0
	printf 'PARTIAL (guestbench did not finish: exit %s after %s s, the timeout?): ' "$2" "$3"
}

# --- build ------------------------------------------------------------------
need_pkg gcc || die "gcc is needed"
need_pkg busybox-static || die "busybox-static is needed"
msg "building guestbench"
gcc -O2 -static -Wall -Wextra -Werror -o "$WORK/guestbench" "$HERE/guestbench.c" -lm ||
	die "guestbench does not build"

# The guest tree: busybox, guestbench and an /init that runs guestbench with
# the arguments in /bench-args and powers off. Used by QEMU, UML and coLinux.
make_tree() { # make_tree <dir> <guestbench args>
	local d=$1
	rm -rf "$d"
	mkdir -p "$d/bin" "$d/dev" "$d/proc" "$d/sys" "$d/tmp" "$d/root" || return 1
	cp /bin/busybox "$d/bin/busybox" && cp "$WORK/guestbench" "$d/guestbench" || return 1
	ln -s busybox "$d/bin/sh"
	printf '%s\n' "$2 $TRUE_ARG" >"$d/bench-args"
	cat >"$d/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sys /sys 2>/dev/null
mount -t devtmpfs dev /dev 2>/dev/null
echo "GUESTBENCH-BEGIN kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpu(s), uptime $(cat /proc/uptime)"
/guestbench $(cat /bench-args)
echo "GUESTBENCH-END rc=$?, uptime $(cat /proc/uptime)"
sync
poweroff -f
EOF
	chmod 755 "$d/init"
	# /dev/console for the kernel to open before devtmpfs is mounted.
	mknod -m 600 "$d/dev/console" c 5 1 2>/dev/null || true
}

make_initramfs() { # make_initramfs <out.cpio.gz> <guestbench args>
	local d=$WORK/tree-initramfs
	make_tree "$d" "$2" || return 1
	(cd "$d" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$1"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- native -----------------------------------------------------------------
measure_native() {
	want native || return 0
	msg "native"
	# shellcheck disable=SC2086 # TRUE_ARG is two words
	"$WORK/guestbench" $TRUE_ARG | tee "$OUT/native.log" >&2
	results native "$OUT/native.log"
	status native "host kernel $(uname -r), full mode"
}

# --- trap floor -------------------------------------------------------------
measure_trapfloor() {
	want trapfloor || return 0
	msg "trap floor: trap-bench handoff seccomp spin split proc (3 runs)"
	rm -rf "$WORK/trap-bench"
	if cp -r "$TRAP_BENCH" "$WORK/trap-bench" && chmod -R u+w "$WORK/trap-bench" &&
		make -s -C "$WORK/trap-bench" handoff >"$OUT/trapfloor-build.log" 2>&1; then
		for _ in 1 2 3; do
			"$WORK/trap-bench/handoff" seccomp spin split proc
		done | tee -a "$OUT/trapfloor.log" >&2
		awk '$1 == "RESULT" { print $3 }' "$OUT/trapfloor.log" | sort -g |
			awk '{ v[NR] = $1 } END { if (NR) printf "RESULT getppid %s ns/op\n", v[int((NR + 1) / 2)] }' \
				>"$OUT/trapfloor.res"
		status trapfloor "trap-bench handoff seccomp spin split proc: a getppid trapped by seccomp and answered by another process spinning on the other CPU; runs $(awk '$1 == "RESULT" { printf "%s ", $3 }' "$OUT/trapfloor.log")ns"
	else
		status trapfloor "could not build trap-bench from $TRAP_BENCH (see $OUT/trapfloor-build.log)"
	fi
}

# --- QEMU TCG ---------------------------------------------------------------
measure_qemu() {
	want qemu || return 0
	msg "QEMU TCG"
	if need_pkg qemu-system-x86 && need_pkg linux-image-amd64; then
		kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
		if [ -z "$kernel" ]; then
			status qemu "no /boot/vmlinuz-* after installing linux-image-amd64"
		elif make_initramfs "$WORK/qemu-initramfs.cpio.gz" "$QEMU_ARGS"; then
			start=$(date +%s)
			guest "$OUT/qemu.log" "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -m 512 -nographic \
				-no-reboot -kernel "$kernel" -initrd "$WORK/qemu-initramfs.cpio.gz" \
				-append 'console=ttyS0 quiet panic=-1'
			rc=$?
			secs=$(($(date +%s) - start))
			results qemu "$OUT/qemu.log"
			info="$(qemu-system-x86_64 --version | head -n 1), 1 vCPU, guest $(basename "$kernel"), guestbench ${QEMU_ARGS:-full}, ${secs} s"
			if [ -s "$OUT/qemu.res" ]; then
				status qemu "$(incomplete "$OUT/qemu.log" $rc $secs)$info"
			else
				status qemu "FAILED (exit $rc after ${secs} s): $(last_words "$OUT/qemu.log")"
			fi
		else
			status qemu "could not build the initramfs"
		fi
	else
		status qemu "not installed: apt-get install qemu-system-x86 linux-image-amd64 failed"
	fi
}

# --- User-mode Linux --------------------------------------------------------
measure_uml() {
	want uml || return 0
	msg "User-mode Linux"
	if need_pkg user-mode-linux && need_pkg e2fsprogs; then
		img=$WORK/uml-root.ext4
		rm -f "$img"
		if make_tree "$WORK/tree-uml" "$UML_ARGS" &&
			mkfs.ext4 -q -F -d "$WORK/tree-uml" "$img" 64M >"$OUT/uml-mkfs.log" 2>&1; then
			start=$(date +%s)
			# UML keeps its memory in a file under TMPDIR.
			(cd "$WORK" && TMPDIR=/dev/shm guest "$OUT/uml.log" "$UML_TIMEOUT" /usr/bin/linux \
				ubd0="$img" root=/dev/ubda rw init=/init mem=512M con=null con0=fd:0,fd:1)
			rc=$?
			secs=$(($(date +%s) - start))
			results uml "$OUT/uml.log"
			ver=$(dpkg-query -W -f='${Version}' user-mode-linux)
			if [ -s "$OUT/uml.res" ]; then
				status uml "$(incomplete "$OUT/uml.log" $rc $secs)Debian user-mode-linux $ver, ubd ext4 root, guestbench ${UML_ARGS:-full}, ${secs} s"
			else
				status uml "FAILED (Debian user-mode-linux $ver, exit $rc after ${secs} s): $(last_words "$OUT/uml.log")"
			fi
		else
			status uml "could not build the ext4 root image (see $OUT/uml-mkfs.log)"
		fi
	else
		status uml "not installed: apt-get install user-mode-linux failed"
	fi
}

# --- gVisor -----------------------------------------------------------------
measure_runsc() {
	want runsc || return 0
	msg "gVisor (runsc)"
	policy=$(apt-cache policy runsc 2>/dev/null | awk '/Candidate:/ { print $2 }')
	if need_pkg runsc; then
		ver=$(dpkg-query -W -f='${Version}' runsc)
		start=$(date +%s)
		# runsc do: run a host command in a sandbox whose root is an overlay of
		# the host's. No KVM here, so the ptrace platform.
		mkdir -p "$WORK/runsc-state"
		# shellcheck disable=SC2086 # the argument lists are split on purpose
		guest "$OUT/runsc.log" "$RUNSC_TIMEOUT" runsc --network=none \
			--platform=ptrace --root="$WORK/runsc-state" \
			"do" "$WORK/guestbench" $RUNSC_ARGS $TRUE_ARG
		rc=$?
		secs=$(($(date +%s) - start))
		results runsc "$OUT/runsc.log"
		[ $rc = 0 ] && echo 'GUESTBENCH-END rc=0' >>"$OUT/runsc.log"
		if [ -s "$OUT/runsc.res" ]; then
			status runsc "$(incomplete "$OUT/runsc.log" $rc $secs)Debian runsc $ver, ptrace platform (no KVM), runsc do, guestbench ${RUNSC_ARGS:-full}, ${secs} s"
		else
			status runsc "FAILED (Debian runsc $ver, exit $rc after ${secs} s): $(last_words "$OUT/runsc.log")"
		fi
	else
		status runsc "not installed (apt-cache policy runsc: candidate ${policy:-none})"
	fi
}

# --- coLinux ----------------------------------------------------------------
# colinux_build: which coLinux was measured (HEAD may not be what was built).
colinux_build() {
	local dirty
	dirty=$(git -C "$ROOT" status --porcelain -- host kernel include images Makefile 2>/dev/null | wc -l)
	printf 'commit %s' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	[ "$dirty" -gt 0 ] && printf ' + %s uncommitted file(s) in host/ kernel/ include/ images/' "$dirty"
	[ -e "$ROOT/build/colinux" ] && printf ', build/colinux of %s' "$(date -u -r "$ROOT/build/colinux" '+%H:%M UTC')"
	[ -e "$ROOT/build/vmlinux" ] && printf ', build/vmlinux of %s' "$(date -u -r "$ROOT/build/vmlinux" '+%H:%M UTC')"
}

measure_colinux() {
	want colinux || return 0
	if [ -z "$COLINUX_RUN" ] && [ -x "$ROOT/build/colinux" ] &&
		"$ROOT/build/colinux" run --help 2>&1 | grep -q -- --initrd; then
		COLINUX_RUN='build/colinux run --mem 512M --initrd {initrd}'
	fi
	if [ -z "$COLINUX_RUN" ]; then
		status colinux "not yet measured (no build/colinux with run --initrd: run make, or set COLINUX_RUN, see bench/README.md)"
	elif [ "$COLINUX_RUN" = none ]; then
		status colinux "not measured (COLINUX_RUN=none)"
	else
		msg "coLinux: $COLINUX_RUN"
		initrd=$WORK/colinux-initramfs.cpio.gz
		if make_initramfs "$initrd" "$COLINUX_ARGS"; then
			case $COLINUX_RUN in
			*'{initrd}'*) cmd=${COLINUX_RUN//\{initrd\}/$initrd} ;;
			*) cmd="$COLINUX_RUN --initrd $initrd" ;;
			esac
			start=$(date +%s)
			(cd "$ROOT" && guest "$OUT/colinux.log" "$COLINUX_TIMEOUT" bash -c "$cmd")
			rc=$?
			secs=$(($(date +%s) - start))
			results colinux "$OUT/colinux.log"
			if [ -s "$OUT/colinux.res" ]; then
				status colinux "$(incomplete "$OUT/colinux.log" $rc $secs)\`$cmd\`, $(colinux_build), guestbench ${COLINUX_ARGS:-full}, ${secs} s"
			else
				status colinux "not yet measured: the guest did not run guestbench (\`$cmd\` exit $rc after ${secs} s): $(last_words "$OUT/colinux.log")"
			fi
		else
			status colinux "could not build the initramfs"
		fi
	fi
}

# --- the rounds -------------------------------------------------------------
# The machine's speed drifts over minutes (other guests of its host), so the
# systems take turns: every round measures each once, and each figure is the
# median of all its single runs, so that a slow minute weighs on all alike.
for round in $(seq "$ROUNDS"); do
	msg "round $round of $ROUNDS"
	measure_native
	measure_trapfloor
	measure_qemu
	measure_uml
	measure_runsc
	measure_colinux
done
for s in native qemu uml runsc colinux; do
	median_results "$s"
done

# --- report -----------------------------------------------------------------
all_systems='native trapfloor qemu uml runsc colinux'
declare -A TITLE=([native]=native [trapfloor]='trap floor' [qemu]='QEMU TCG'
	[uml]='UML' [runsc]='gVisor' [colinux]=coLinux)

value() { # value <system> <workload>
	[ -f "$OUT/$1.res" ] && awk -v w="$2" '$2 == w { print $3; exit }' "$OUT/$1.res"
}
unit_of() {
	case $1 in
	getppid) echo ns/op ;; forkexec) echo us/op ;; pipe) echo ns/round trip ;;
	pagefault) echo ns/page ;; compute) echo ms ;;
	esac
}
fmt_num() { # 1234567.8 -> 1,234,568; below 100 one decimal
	awk -v v="$1" 'BEGIN {
		if (v < 100) { printf "%.1f", v; exit }
		s = sprintf("%.0f", v); o = ""
		while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
		printf "%s%s", s, o }'
}
fmt_ratio() { # fmt_ratio <value> <base>
	awk -v v="$1" -v b="$2" 'BEGIN { r = v / b; if (r >= 10) printf "%.0fx", r; else if (r >= 1) printf "%.1fx", r; else printf "%.2fx", r }'
}

report() {
	local s w v n t
	echo "$SECTION"
	echo
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on \`$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)\`," \
		"$(nproc) CPUs, host kernel $(uname -r), coLinux commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)." \
		"Load average (1/5/15 min) $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after: other work on this machine inflates the figures." \
		"$ROUNDS rounds, the systems taking turns; each figure the median of every single run (5 a round; trap floor: 3); in parentheses the ratio to native. Re-run: \`bench/syscall/run.sh\`."
	echo
	printf '| workload | unit |'
	for s in $all_systems; do printf ' %s |' "${TITLE[$s]}"; done
	printf '\n|---|---|'
	for s in $all_systems; do printf '%s' '---:|'; done
	echo
	for w in $WORKLOADS; do
		n=$(value native "$w")
		printf '| %s | %s |' "$w" "$(unit_of "$w")"
		for s in $all_systems; do
			v=$(value "$s" "$w")
			if [ -z "$v" ]; then
				printf ' – |'
			elif [ "$s" = native ] || [ -z "$n" ]; then
				printf ' %s |' "$(fmt_num "$v")"
			else
				printf ' %s (%s) |' "$(fmt_num "$v")" "$(fmt_ratio "$v" "$n")"
			fi
		done
		echo
	done
	t=$(value trapfloor getppid)
	if [ -n "$t" ]; then
		printf '| getppid ÷ trap floor | |'
		for s in $all_systems; do
			v=$(value "$s" getppid)
			if [ -n "$v" ]; then printf ' %s |' "$(fmt_ratio "$v" "$t")"; else printf ' – |'; fi
		done
		echo
	fi
	echo
	for s in $all_systems; do
		if [ -f "$OUT/$s.status" ]; then
			printf -- '- %s: %s\n' "${TITLE[$s]}" "$(cat "$OUT/$s.status")"
		else
			printf -- '- %s: not measured in this run (SYSTEMS="%s")\n' "${TITLE[$s]}" "$SYSTEMS"
		fi
	done
	echo
	echo "<details><summary>Single runs (the spread shows how noisy the machine was)</summary>"
	echo
	echo '```'
	for s in native qemu uml runsc colinux; do
		[ -f "$OUT/$s.runs" ] || continue
		sed "s/^# runs /$s /" "$OUT/$s.runs"
	done
	[ -f "$OUT/trapfloor.log" ] &&
		echo "trapfloor getppid $(awk '$1 == "RESULT" { printf "%s ", $3 }' "$OUT/trapfloor.log")"
	echo '```'
	echo
	echo "</details>"
	echo
	echo "The trap floor is not a system: it is the cheapest known way for a" \
		"trapped guest syscall to reach a kernel in another host process" \
		"(see bench/README.md); only its getppid figure exists."
}

report >"$OUT/section.md"
cat "$OUT/section.md"

if [ "$RESULTS" != - ]; then
	"$HERE/../lib/replace-section.sh" "$RESULTS" "$SECTION" \
		"$OUT/section.md"
	msg "wrote $RESULTS"
fi
