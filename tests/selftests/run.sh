#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own selftests (tools/testing/selftests of the tree our
# port is built on, build/linux-6.1), run inside a colinux guest and
# natively on this host with the same binaries (static where the suite's
# Makefile allows), the same files and the same timeouts, then compared
# test by test. tests/selftests.md records a run and explains every
# difference. About 9 minutes, most of it the timers suite (twice).
#
#	tests/selftests/run.sh			# build, run both, compare
#	ONLY=REGEX tests/selftests/run.sh	# only tests whose "suite cmd" matches
#	NATIVE=0 tests/selftests/run.sh		# guest only (no comparison)
#	MEM=1G (guest RAM), BOOTS=8 (most guest boots, see below)
#	REPORT=1 tests/selftests/run.sh		# only the table, from the last logs
#
# Output, all under build/tests/selftests/: the binaries (one directory
# per suite), root/ (the image's extra files), image.cpio.gz,
# guest.log and native.log (raw output with @@ markers), results.tsv and
# results.md (the table). Exit status 0 when every guest result equals
# the native one or its difference is one of KNOWN below; 1 otherwise.
#
# Never writes into build/linux-6.1 (checked at the end): the selftest
# Makefiles get OUTPUT= and the system's uapi headers (linux-libc-dev,
# same 6.1 version) instead of a headers_install in the shared tree.
# Needs no network; libcap-dev is used if present (two tests need it).
#
# Both sides run the tests in the same root file system, the guest's
# image (busybox sh and timeout), so a timeout or a shell quirk is the
# same on both; natively it is unpacked and chrooted into (needs root). A test that is still running after its time limit gets
# SIGTERM, then SIGKILL 5 s later, and is recorded as "hang".
# If the guest dies in the middle (a kernel panic, a monitor exit), the
# test it was running is recorded as "guest died" and a fresh guest
# goes on with the next one, at most BOOTS boots in all.

set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
src=$top/build/linux-6.1/tools/testing/selftests
out=$top/build/tests/selftests
mem=${MEM:-1G}
only=${ONLY:-}
native=${NATIVE:-1}
boots=${BOOTS:-8}
bb=/bin/busybox
suites="futex timers sigaltstack exec clone3 vm x86 vDSO"

say() { echo "selftests: $*" >&2; }

[ -d "$src" ] || { say "$src missing: build the kernel tree first (make kernel)"; exit 2; }
if ! [ -x build/colinux ] || ! [ -f build/vmlinux ]; then
	say "build/colinux or build/vmlinux missing: run make"
	exit 2
fi
if [ "$native" = 1 ] && [ "$(id -u)" != 0 ]; then
	say "the native run needs root (unshare -m, chroot): running the guest only"
	native=0
fi
file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
	{ say "$bb is not Debian's static busybox: apt-get install busybox-static"; exit 2; }

# ---------------------------------------------------------------- tests
# suite|timeout seconds|command (run by sh -c in the suite's directory).
# Left out on purpose (see tests/selftests.md): destructive timers tests
# (settimeofday/adjtimex/RTC/suspend), raw_skew (sleeps 120 s), exec's
# binfmt_script.py (python), hugetlb/THP/KSM/NUMA/GUP/HMM vm tests.
tests() {
	cat <<-'EOF'
	futex|30|./futex_requeue_pi
	futex|30|./futex_requeue_pi -b
	futex|30|./futex_requeue_pi -b -l
	futex|30|./futex_requeue_pi -b -o
	futex|30|./futex_requeue_pi -l
	futex|30|./futex_requeue_pi -o
	futex|30|./futex_requeue_pi -b -l -t 5000
	futex|30|./futex_requeue_pi -l -t 5000
	futex|30|./futex_requeue_pi -b -l -t 500000
	futex|30|./futex_requeue_pi -l -t 500000
	futex|30|./futex_requeue_pi -b -t 5000
	futex|30|./futex_requeue_pi -t 5000
	futex|30|./futex_requeue_pi -b -t 500000
	futex|30|./futex_requeue_pi -t 500000
	futex|30|./futex_requeue_pi -b -o -t 5000
	futex|30|./futex_requeue_pi -b -o -t 500000
	futex|30|./futex_requeue_pi -b -l -t 2000000000
	futex|30|./futex_requeue_pi -l -t 2000000000
	futex|30|./futex_requeue_pi_mismatched_ops
	futex|30|./futex_requeue_pi_signal_restart
	futex|30|./futex_wait_timeout
	futex|30|./futex_wait_wouldblock
	futex|30|./futex_wait_uninitialized_heap
	futex|30|./futex_wait_private_mapped_file
	futex|30|./futex_wait
	futex|30|./futex_requeue
	futex|30|./futex_waitv
	timers|60|./posix_timers
	timers|60|./nanosleep
	timers|120|./nsleep-lat
	timers|90|./set-timer-lat
	timers|30|./mqueue-lat
	timers|60|./inconsistency-check -t 2
	timers|30|./threadtest -t 5
	timers|30|./rtcpie
	sigaltstack|30|./sas
	exec|60|./execveat
	exec|30|./non-regular
	exec|30|./recursion-depth
	exec|30|./null-argv
	exec|30|./load_address.0x1000
	exec|30|./load_address.0x200000
	exec|30|./load_address.0x1000000
	exec|30|./load_address.static.0x1000
	exec|30|./load_address.static.0x200000
	exec|30|./load_address.static.0x1000000
	clone3|30|./clone3
	clone3|30|./clone3_clear_sighand
	clone3|30|./clone3_set_tid
	clone3|30|./clone3_cap_checkpoint_restore
	vm|30|./map_fixed_noreplace
	vm|30|./map_populate
	vm|30|./mlock2-tests
	vm|30|./mlock-random-test
	vm|30|asuser 65534 ./on-fault-limit
	vm|60|./mremap_test
	vm|30|./mremap_dontunmap
	vm|30|./madv_populate
	vm|30|./mrelease_test
	vm|30|./soft-dirty
	vm|30|./memfd_secret
	vm|60|./userfaultfd anon 20 16
	vm|60|./userfaultfd shmem 20 16
	vm|60|./virtual_address_range
	vm|30|./va_128TBswitch
	x86|30|./single_step_syscall_64
	x86|30|./sysret_ss_attrs_64
	x86|30|./syscall_nt_64
	x86|30|./test_mremap_vdso_64
	x86|30|./check_initial_reg_state_64
	x86|30|./sigreturn_64
	x86|30|./iopl_64
	x86|30|./ioperm_64
	x86|30|./test_vsyscall_64
	x86|30|./mov_ss_trap_64
	x86|30|./sigtrap_loop_64
	x86|30|./syscall_arg_fault_64
	x86|30|./fsgsbase_restore_64
	x86|30|./sigaltstack_64
	x86|30|./fsgsbase_64
	x86|30|./sysret_rip_64
	x86|30|./syscall_numbering_64
	x86|30|./corrupt_xstate_header_64
	x86|30|./amx_64
	vDSO|30|./vdso_test_abi
	vDSO|30|./vdso_test_clock_getres
	vDSO|30|./vdso_test_correctness
	vDSO|30|./vdso_test_getcpu
	vDSO|30|./vdso_test_gettimeofday
	vDSO|30|./vdso_standalone_test_x86
	EOF
}

# Differences explained in tests/selftests.md: "suite|command|reason"
# (the reason is what the table prints; the .md has the details).
known() {
	cat <<-'EOF'
	sigaltstack|./sas|port bug: sigreturn drops SS_AUTODISARM
	exec|./non-regular|no CONFIG_INET: socket(AF_INET) fails
	clone3|./clone3|no CONFIG_NAMESPACES: CLONE_NEWPID is EINVAL
	clone3|./clone3_set_tid|no CONFIG_NAMESPACES: CLONE_NEWPID is EINVAL
	vm|./mremap_test|1G guest: 2 GB mmap refused (overcommit heuristic)
	vm|./memfd_secret|no CONFIG_SECRETMEM
	vm|./userfaultfd anon 20 16|no CONFIG_USERFAULTFD
	vm|./userfaultfd shmem 20 16|no CONFIG_USERFAULTFD
	x86|./test_vsyscall_64|no [vsyscall] map; the host emulates it
	x86|./fsgsbase_64|port gap: PTRACE_PEEKUSR/POKEUSR give EIO
	x86|./sysret_rip_64|TASK_SIZE ends 1 MiB below 1<<47 (stub)
	x86|./syscall_numbering_64|port bug: rax bits 32-63 not ignored
	timers|./nsleep-lat|intermittent: guest sleeps overshoot (up to 10 s) under host load
	timers|./set-timer-lat|intermittent: guest sleeps overshoot (up to 10 s) under host load
	futex|./futex_requeue|intermittent: main thread woke >20 ms late (30 ms waiter timeout)
	EOF
}

# ---------------------------------------------------------------- build
khdr="KHDR_INCLUDES=-isystem /usr/include"
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
have_libcap=0
[ -f /usr/lib/x86_64-linux-gnu/libcap.a ] && [ -f /usr/include/sys/capability.h ] && have_libcap=1

# mk SUITE-DIR OUT-SUBDIR [make args...]: the suite's own Makefile,
# static, into $out/OUT-SUBDIR. Build errors go to build.log.
mk() {
	local dir=$1 sub=$2
	shift 2
	mkdir -p "$out/$sub"
	make -s -C "$src/$dir" OUTPUT="$out/$sub" "$khdr" "$@" >>"$out/build.log" 2>&1 ||
		say "$dir: some targets failed to build (see $out/build.log)"
}

build() {
	mkdir -p "$out"
	: >"$out/build.log"
	say "building into $out"
	mk futex/functional futex LDFLAGS=-static
	local t timers=
	for t in posix_timers nanosleep nsleep-lat set-timer-lat mqueue-lat \
		inconsistency-check threadtest rtcpie; do
		timers="$timers $out/timers/$t"
	done
	# shellcheck disable=SC2086
	mk timers timers LDFLAGS=-static $timers
	mk sigaltstack sigaltstack LDFLAGS=-static
	# exec: the load_address.* are PIE (dynamic) and static-pie by
	# design, so only the others get -static.
	mk exec exec LDFLAGS=-static "$out/exec/execveat" "$out/exec/non-regular" \
		"$out/exec/recursion-depth" "$out/exec/null-argv"
	mk exec exec
	cp "$src/exec/Makefile" "$out/exec/Makefile"	# execveat opens it
	# clone3: only clone3_cap_checkpoint_restore uses libcap.
	mk clone3 clone3 LDFLAGS=-static LDLIBS= "$out/clone3/clone3" \
		"$out/clone3/clone3_clear_sighand" "$out/clone3/clone3_set_tid"
	local vm=
	for t in map_fixed_noreplace map_populate mlock2-tests on-fault-limit \
		mremap_test mremap_dontunmap madv_populate \
		soft-dirty userfaultfd virtual_address_range va_128TBswitch; do
		vm="$vm $out/vm/$t"
	done
	if [ $have_libcap = 1 ]; then
		mk clone3 clone3 LDFLAGS=-static "$out/clone3/clone3_cap_checkpoint_restore"
		vm="$vm $out/vm/mlock-random-test $out/vm/memfd_secret"
	else
		say "libcap-dev missing: clone3_cap_checkpoint_restore, mlock-random-test, memfd_secret not built (apt-get install libcap-dev)"
	fi
	# shellcheck disable=SC2086
	mk vm vm LDFLAGS=-static $vm
	# mrelease_test.c uses __NR_process_mrelease without including
	# <sys/syscall.h>, so as shipped it calls syscall(-1) and skips.
	rm -f "$out/vm/mrelease_test"
	mk vm vm LDFLAGS=-static "EXTRA_CFLAGS=-include sys/syscall.h" "$out/vm/mrelease_test"
	# x86 and vDSO: as their Makefiles build them (x86 64-bit only:
	# no gcc-multilib); the dynamic ones get their libraries in the image.
	mk x86 x86 all_64
	mk vDSO vDSO LDFLAGS=-static
}

# helpers in the image: a real /bin/true (exec/non-regular.c execs a
# symlink to /bin/true by another name, which busybox's applet link
# cannot run) and asuser UID PROG ARGS (busybox's setpriv cannot change
# uid; vm/on-fault-limit must run unprivileged, as run_vmtests.sh does
# with sudo -u nobody).
helpers() {
	local root=$1
	printf 'int main(void) { return 0; }\n' |
		gcc -static -O2 -x c -o "$root/bin/true" -
	gcc -static -O2 -x c -o "$root/usr/bin/asuser" - <<-'EOF'
	#include <grp.h>
	#include <stdio.h>
	#include <stdlib.h>
	#include <unistd.h>
	int main(int argc, char **argv)
	{
		uid_t id;

		if (argc < 3) {
			fprintf(stderr, "usage: asuser UID PROG [ARGS]\n");
			return 2;
		}
		id = atoi(argv[1]);
		if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
			perror("asuser");
			return 1;
		}
		execv(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	EOF
}

# libs ROOT: copy every library the dynamic programs under ROOT need
# (ldd, here) to the same path under ROOT.
libs() {
	local root=$1 f l
	find "$root" -type f -perm -u+x | while read -r f; do
		file -b "$f" | grep -q 'dynamically linked' || continue
		ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true
	done | sort -u | while read -r l; do
		mkdir -p "$root$(dirname "$l")"
		cp -L "$l" "$root$l"
	done
}

# ---------------------------------------------------------------- runner
# The runner, the same sh script in the guest and here: runs each line
# of LIST in ROOT/SUITE under timeout, between @@BEGIN and @@END markers
# (@@END carries the exit status and the seconds it took, from
# /proc/uptime).
write_runner() {
	cat >"$1" <<-'EOF'
	#!/bin/sh
	# runner.sh ROOT LIST: see tests/selftests/run.sh
	set -o pipefail
	root=$1
	while IFS='|' read -r target link; do
		[ -e "$root/$link" ] || ln -s "$target" "$root/$link"
	done <"$root/symlinks"
	# what udev makes on a normal system; execveat runs scripts as /dev/fd/N
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	while IFS='|' read -r suite limit cmd; do
		[ -n "$suite" ] || continue
		echo "@@BEGIN $suite|$cmd"
		t0=$(cut -d' ' -f1 /proc/uptime)
		# through a pipe on both sides (the guest's stdout is a tty)
		(cd "$root/$suite" && exec timeout -k 5 "$limit" sh -c "exec $cmd") </dev/null 2>&1 | cat
		rc=$?
		t1=$(cut -d' ' -f1 /proc/uptime)
		echo "@@END $suite|$cmd|$rc|$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')"
	done <"$2"
	echo "@@DONE"
	EOF
}

select_tests() {
	if [ -n "$only" ]; then
		tests | awk -F'|' -v re="$only" '($1 " " $3) ~ re'
	else
		tests
	fi
}

image() {
	local root=$out/root
	rm -rf "$root"
	mkdir -p "$root/selftests" "$root/bin" "$root/usr/bin"
	local s
	for s in $suites; do
		[ -d "$out/$s" ] && cp -a "$out/$s" "$root/selftests/"
	done
	# mkinitramfs.sh takes regular files and directories only: the
	# runner makes the symlinks (exec/execveat.symlink) from this list.
	(cd "$root/selftests" && find . -type l -printf '%l|%p\n' && find . -type l -delete) \
		>"$root/selftests/symlinks"
	helpers "$root"
	libs "$root"
	write_runner "$root/selftests/runner.sh"
	chmod +x "$root/selftests/runner.sh"
	select_tests >"$root/selftests/list"
	images/busybox/mkinitramfs.sh "$out/image.cpio.gz" "$root" >/dev/null
}

# The guest: boot, run the list; if the guest ends before @@DONE, record
# the test it was in as died and boot again for the rest.
run_guest() {
	echo "guest start: load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/load.txt"
	local log=$out/guest.log list=$out/root/selftests/list n=0 limit
	: >"$log"
	while :; do
		n=$((n + 1))
		limit=$(awk -F'|' '{ s += $2 + 10 } END { print s + 60 }' "$list")
		say "guest boot $n: $(wc -l <"$list") tests (at most $limit s)"
		timeout -k 10 "$limit" build/colinux run --mem "$mem" --initrd "$out/image.cpio.gz" \
			--exec 'sh /selftests/runner.sh /selftests /selftests/list' 2>"$out/guest.stderr.$n" |
			tr -d '\r' >"$out/guest.raw.$n" || true
		grep -v '^\[ *[0-9]*\.[0-9]*\]' "$out/guest.raw.$n" >>"$log" || true
		grep -q '^@@DONE' "$out/guest.raw.$n" && break
		# which test was it in?
		local last
		last=$(grep '^@@BEGIN ' "$out/guest.raw.$n" | tail -1 | cut -c9-)
		say "guest boot $n ended early (in: ${last:-before the first test}); kernel log tail:"
		grep '^\[ *[0-9]*\.[0-9]*\]' "$out/guest.raw.$n" | tail -5 >&2 || true
		if [ -z "$last" ] || [ $n -ge "$boots" ]; then
			say "giving up on the guest"
			break
		fi
		echo "@@END $last|died|-" >>"$log"
		# the rest of the list, after the test the guest died in
		awk -F'|' -v last="$last" 'found { print } ($1 "|" $3) == last { found = 1 }' \
			"$list" >"$list.rest"
		[ -s "$list.rest" ] || break
		cp "$list.rest" "$out/root/selftests/list"
		list=$out/root/selftests/list
		images/busybox/mkinitramfs.sh "$out/image.cpio.gz" "$out/root" >/dev/null
	done
	select_tests >"$out/root/selftests/list"
}

# Natively: the very image the guest booted, unpacked into a tmpfs in a
# private mount namespace with /proc, /sys, /dev (devtmpfs) and /tmp
# mounted as the guest's init mounts them, and the runner run chrooted
# into it with the same empty environment. So both sides have the same
# files, busybox and /bin/sh; only the kernel (and machine) differ.
# Everything vanishes with the namespace.
run_native() {
	local dir
	dir=$(mktemp -d /tmp/selftests-native.XXXXXX)
	echo "native start: load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/load.txt"
	say "native run (chroot into the image, private mount namespace)"
	# shellcheck disable=SC2016 # expanded by the inner bash
	unshare -m --propagation private /bin/bash -euc '
		d=$1 img=$2
		mount -t tmpfs -o size=4G,mode=755 rootfs "$d"
		zcat "$img" | (cd "$d" && cpio -idmu --quiet)
		mount -t proc proc "$d/proc"
		mount -t sysfs sysfs "$d/sys"
		mount -t devtmpfs devtmpfs "$d/dev"
		mount -t tmpfs tmpfs "$d/tmp"
		exec chroot "$d" /usr/bin/env -i PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=linux \
			/bin/sh /selftests/runner.sh /selftests /selftests/list
	' native "$dir" "$out/image.cpio.gz" 2>&1 | tr -d '\r' >"$out/native.log" || true
	rmdir "$dir"
}

# ---------------------------------------------------------------- report
# One row per test: suite, command, result. A result is pass, fail (rc N),
# skip, xfail, "killed by SIGn", "hang (timeout N s)" or "guest died",
# followed by the TAP line counts the program printed.
results() {
	awk -F'|' -v OFS='|' '
	FNR == NR { limit[$1 "|" $3] = $2; next }
	/^@@BEGIN / { key = substr($0, 9); ok = nok = sk = 0; next }
	/^ok [0-9]/ || /^not ok [0-9]/ {
		if ($0 ~ /# *SKIP/) sk++; else if ($0 ~ /^not ok/) nok++; else ok++
		next
	}
	/^@@END / {
		sub(/^@@END /, ""); n = split($0, f, "|")
		rc = f[n - 1]; secs = f[n]
		key = f[1] "|" f[2]
		for (i = 3; i <= n - 2; i++) key = key "|" f[i]
		if (rc == "died") r = "guest died"
		else if ((rc == 143 || rc == 137) && secs + 0.5 >= limit[key]) r = "hang (timeout " limit[key] " s)"
		else if (rc == 0) r = "pass"
		else if (rc == 4) r = "skip"
		else if (rc == 2) r = "xfail"
		else if (rc > 128 && rc <= 128 + 64) r = "killed by SIG" (rc - 128)
		else r = "fail (rc " rc ")"
		c = ""
		if (ok) c = c ", " ok " ok"
		if (nok) c = c ", " nok " not ok"
		if (sk) c = c ", " sk " skip"
		if (c != "") r = r " [" substr(c, 3) "]"
		print key, r
	}' <(select_tests) "$1"
}

report() {
	local g n
	g=$(mktemp)
	n=$(mktemp)
	results "$out/guest.log" >"$g"
	if [ "$native" = 1 ]; then results "$out/native.log" >"$n"; else : >"$n"; fi
	# rows: suite, command, native, guest, note
	select_tests | awk -F'|' -v OFS='\t' '
	FILENAME == ARGV[1] { g[$1 "|" $2] = $3; next }
	FILENAME == ARGV[2] { n[$1 "|" $2] = $3; next }
	FILENAME == ARGV[3] { k[$1 "|" $2] = $3; next }
	{
		key = $1 "|" $3
		nr = (key in n) ? n[key] : "not run"
		gr = (key in g) ? g[key] : "not run"
		note = ""
		if (nr != gr) note = (key in k) ? "known: " k[key] : "DIFFERENT"
		print $1, $3, nr, gr, note
	}' "$g" "$n" <(known) - >"$out/results.tsv"
	rm -f "$g" "$n"

	{
		echo "| suite | test | native | guest | note |"
		echo "|---|---|---|---|---|"
		awk -F'\t' '{ printf "| %s | `%s` | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$out/results.tsv"
	} >"$out/results.md"
	awk -F'\t' '{ printf "%-12s %-42s %-28s %-28s %s\n", $1, $2, $3, $4, $5 }' "$out/results.tsv"
	echo
	summarize native 3
	summarize guest 4
	local diff unexplained
	diff=$(awk -F'\t' '$5 != ""' "$out/results.tsv" | wc -l)
	unexplained=$(awk -F'\t' '$5 == "DIFFERENT"' "$out/results.tsv" | wc -l)
	echo "differences: $diff ($unexplained not in the known list)"
	[ "$unexplained" = 0 ]
}

# summarize NAME COLUMN: counts of each result class
summarize() {
	awk -F'\t' -v name="$1" -v col="$2" '
	{ r = $col; sub(/ .*/, "", r); c[r]++; t++ }
	END {
		s = ""
		for (r in c) s = s ", " c[r] " " r
		printf "%-7s %d tests: %s\n", name, t, substr(s, 3)
	}' "$out/results.tsv"
}

# ---------------------------------------------------------------- main
if [ "${REPORT:-0}" = 1 ]; then
	report
	exit
fi
touch "$stamp"
sleep 1
t0=$(date +%s)
mkdir -p "$out"
: >"$out/load.txt"
build
image
run_guest
[ "$native" = 1 ] && run_native
if [ -n "$(find build/linux-6.1 -newer "$stamp" -print -quit)" ]; then
	say "files appeared or changed in build/linux-6.1: this script must not write there"
	find build/linux-6.1 -newer "$stamp" | head >&2
	exit 2
fi
echo "end: load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/load.txt"
say "ran in $(($(date +%s) - t0)) s; host $(tr '\n' ';' <"$out/load.txt")"
report
