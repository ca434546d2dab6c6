# Issue: the kernel port boots to the init panic, with a working timer,
# vmalloc, oops reporting and every exit path of the monitor.
. "$(dirname "$0")/lib.bash"

: | (cd "$TMP" && cpio -o -H newc >empty.cpio 2>/dev/null)

# An empty initramfs and no disk: no init and no root file system anywhere,
# so the boot ends in the kernel's no-root panic.
E=(--initrd "$TMP/empty.cpio")
guest boot 10 run --kernel "$VMLINUX" --mem 128M "${E[@]}"
expect "boot: Linux version 6.1 banner" has boot.out 'Linux version 6\.1\.'
expect "boot: colinux in the version string" has boot.out 'Linux version [^ ]*colinux'
expect "boot: guest sees the --mem it was given" has boot.out 'Memory: [0-9]+K/131072K available'
expect "boot: ends in the kernel's no-root panic" has boot.out 'Kernel panic - not syncing: VFS: Unable to mount root fs'
expect "boot: panic exits 1" test "$RC" -eq 1
expect "boot: panic message is last on stderr" \
	bash -c "tail -n 1 '$TMP/boot.err' | grep -q '^colinux: guest kernel panic: VFS: Unable to mount root fs'"
expect "boot: boot to panic within 2 s ($MS ms)" test "$MS" -lt 2000

guest nomem 10 run --kernel "$VMLINUX" --mem 512M "${E[@]}"
expect "boot: 512M guest sees 512M" has nomem.out 'Memory: [0-9]+K/524288K available'

guest selftest 20 run --kernel "$VMLINUX" --mem 128M "${E[@]}" -- colinux.selftest=timer,vmalloc,oops
# msleep(100) sleeps 10 jiffies plus rounding at HZ=100: 10 to 13.
expect "timer: jiffies advance at HZ over a 100 ms sleep" \
	has selftest.out 'selftest timer: msleep\(100\) took 1[0-3] jiffies at HZ=100, 1[0-9]{5} us'
expect "vmalloc: 8 MiB outside the direct map reads back" has selftest.out 'selftest vmalloc: ok'
expect "oops: a kernel NULL write is reported as an oops" \
	has selftest.out 'BUG: page fault in kernel code at colinux_selftest_oops_thread'
expect "oops: with a backtrace through kthread" has selftest.out '\] kthread\+'
expect "oops: the guest goes on to the no-root panic, no host core dump" \
	test "$RC" -eq 1 -a -n "$(grep 'Unable to mount root fs' "$TMP/selftest.out")"

for bad in 0 1K 10T banana 1.5G 100000 -5M; do
	guest "mem$bad" 5 run --kernel "$VMLINUX" --mem "$bad"
	expect "--mem $bad: refused with exit 2 and a message naming --mem" \
		bash -c "[ $RC -eq 2 ] && grep -q -- '--mem' '$TMP/mem$bad.err'"
done

printf 'not an elf at all' >"$TMP/bad.elf"
guest kbad 5 run --kernel "$TMP/bad.elf" --mem 128M
expect "--kernel non-ELF: refused" bash -c "[ $RC -eq 2 ] && grep -q 'not an ELF' '$TMP/kbad.err'"
head -c 200000 "$VMLINUX" >"$TMP/trunc.elf"
guest ktrunc 5 run --kernel "$TMP/trunc.elf" --mem 128M
expect "--kernel truncated: refused" bash -c "[ $RC -eq 2 ] && grep -q 'truncated' '$TMP/ktrunc.err'"
cp "$VMLINUX" "$TMP/arm.elf" && printf '\x28' | dd of="$TMP/arm.elf" bs=1 seek=18 conv=notrunc status=none
guest karch 5 run --kernel "$TMP/arm.elf" --mem 128M
expect "--kernel wrong machine: refused" bash -c "[ $RC -eq 2 ] && grep -q 'not x86-64' '$TMP/karch.err'"
guest khost 5 run --kernel /bin/true --mem 128M
expect "--kernel a host program: refused" test "$RC" -eq 2
guest kmissing 5 run --kernel "$TMP/no-such-file" --mem 128M
expect "--kernel missing: refused naming the file" bash -c "[ $RC -eq 2 ] && grep -q 'no-such-file' '$TMP/kmissing.err'"
# A kernel built against another passage version.
cp "$VMLINUX" "$TMP/v2.elf"
off=$(grep -obUa 'coLinux' "$TMP/v2.elf" | head -n 1 | cut -d: -f1)
printf '\x63' | dd of="$TMP/v2.elf" bs=1 seek=$((off + 8)) conv=notrunc status=none
guest kver 5 run --kernel "$TMP/v2.elf" --mem 128M
expect "--kernel of another passage version: refused naming both" \
	bash -c "[ $RC -eq 2 ] && grep -Eq 'passage version 99, this monitor speaks [0-9]' '$TMP/kver.err'"
head -c 9M /dev/zero >"$TMP/big.cpio"
guest ktoobig 5 run --kernel "$VMLINUX" --mem 16M --initrd "$TMP/big.cpio"
expect "--mem too small for the kernel + initrd: refused" test "$RC" -eq 2

# An idle guest costs the host (almost) nothing; Ctrl-C and SIGTERM stop it
# cleanly; a second signal stops it by force. No host process is left.
stop_test() {
	local sig=$1 twice=$2 pid t0 t1 rc=0 test=idle
	[ -n "$twice" ] && test=hang
	"$CL" run --kernel "$VMLINUX" --mem 128M "${E[@]}" -- colinux.selftest=$test \
		>"$TMP/stop$sig$twice.out" 2>"$TMP/stop$sig$twice.err" </dev/null &
	pid=$!
	sleep 0.5
	t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
	sleep 2
	t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
	CPU_TICKS=$((t1 - t0))
	kill -"$sig" $pid
	[ -n "$twice" ] && sleep 0.3 && kill -"$sig" $pid
	wait $pid || rc=$?
	STOP_RC=$rc
}
stop_test INT
expect "idle: an idle guest uses < 1% of a host CPU ($CPU_TICKS ticks in 2 s)" test "$CPU_TICKS" -le 2
expect "Ctrl-C (SIGINT): guest powers off, monitor exits 0" \
	bash -c "[ $STOP_RC -eq 0 ] && grep -q 'reboot: Power down' '$TMP/stopINT.out'"
stop_test TERM
expect "SIGTERM: guest powers off, monitor exits 0" \
	bash -c "[ $STOP_RC -eq 0 ] && grep -q 'shutdown requested by the host' '$TMP/stopTERM.out'"
stop_test TERM twice
expect "SIGTERM twice on a hung guest: stopped by force, exit 1" \
	bash -c "[ $STOP_RC -eq 1 ] && grep -q 'stopped by force' '$TMP/stopTERMtwice.err'"
expect "stop: no stray host processes" no_stray_monitor

# gdb sees guest kernel functions as code of the monitor.
if command -v gdb >/dev/null; then
	timeout 60 gdb -batch -x tools/colinux.gdb -ex 'kbreak colinux_selftest_timer' \
		-ex bt -ex kill --args "$CL" run --kernel "$VMLINUX" --mem 128M \
		"${E[@]}" -- colinux.selftest=timer >"$TMP/gdb.out" 2>&1
	expect "gdb: breakpoint in a guest kernel function with a backtrace" \
		has gdb.out '#[0-9]+ .* do_one_initcall'
else
	skip "gdb: breakpoint in a guest kernel function" "gdb is not installed"
fi
