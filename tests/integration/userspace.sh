# Issue: unmodified x86-64 programs run in the guest (the process engine).
# Boots the default busybox image, and one with our test programs added.
. "$(dirname "$0")/lib.bash"

progs=$TMP/progs
mkdir -p "$progs/bin"
for p in spin segv isolation threads_fpu vdso stub_escape; do
	gcc -O2 -static -pthread -Iinclude -Ihost -o "$progs/bin/$p" "tests/integration/progs/$p.c" ||
		fail "build $p" "gcc -static failed"
done
images/busybox/mkinitramfs.sh "$TMP/progs.cpio.gz" "$progs" >/dev/null

guest exec 30 run --exec 'echo hi-from-guest; uname -m; uname -r; exit 3'
expect "--exec prints the command's output" has exec.out '^hi-from-guest'
expect "--exec: uname -m is x86_64" has exec.out '^x86_64$'
expect "--exec: uname -r names colinux" has exec.out '^6\.1\.[0-9]+-colinux$'
expect "--exec exits with the command's status (3)" test "$RC" -eq 3

best=999999
for i in 1 2 3; do
	guest true 30 run --exec true
	[ "$MS" -lt "$best" ] && best=$MS
done
expect "--exec true: boot, run, power off in < 1 s (best $best ms)" test "$best" -lt 1000

guest shell 30 run --exec 'ls /proc | grep -c "^[0-9]"; ps | grep -c "init"; echo one two three | tr " " "\n" | sort -r | head -n 1; cat /proc/self/status | grep -c "^Pid"'
expect "shell: /proc lists processes" has shell.out '^[0-9]+$'
expect "shell: pipes through fork/exec (sort -r)" has shell.out '^two$'

guest vdso 30 run --initrd "$TMP/progs.cpio.gz" --exec '/bin/vdso'
expect "vdso: clock_gettime through the vDSO agrees with the system call" \
	bash -c "[ $RC -eq 0 ] && grep -q 'ordered=1' '$TMP/vdso.out'"
cost=$(grep -Eo '[0-9]+ ns per call' "$TMP/vdso.out" | cut -d' ' -f1)
expect "vdso: clock_gettime makes no trap (${cost:-?} ns per call, < 1000)" \
	test "${cost:-999999}" -lt 1000

guest spin 30 run --initrd "$TMP/progs.cpio.gz" --exec 'timeout 1 /bin/spin; echo spin-rc=$?'
expect "timer preempts a compute loop: timeout kills it (rc 143)" has spin.out '^spin-rc=143$'

guest segv 30 run --initrd "$TMP/progs.cpio.gz" --exec '/bin/segv; echo die-rc=$?; /bin/segv catch; echo catch-rc=$?'
expect "a segfaulting program is killed by SIGSEGV (rc 139)" has segv.out '^die-rc=139$'
expect "its handler sees si_addr of the faulting write" \
	bash -c "grep -q 'SIGSEGV si_addr=0x1234 code=1' '$TMP/segv.out' && grep -q '^catch-rc=42$' '$TMP/segv.out'"

guest tfpu 60 run --initrd "$TMP/progs.cpio.gz" --exec '/bin/threads_fpu'
expect "threads of one process keep their own vector registers" \
	bash -c "grep -q '^threads-fpu ok$' '$TMP/tfpu.out' && [ $RC -eq 0 ]"

rm -rf /tmp/colinux-isolation-probe
guest iso 120 run --initrd "$TMP/progs.cpio.gz" --exec '/bin/isolation; echo iso-rc=$?; ls -d /tmp/colinux-isolation-probe'
expect "isolation: every syscall 0..450 is answered by the guest kernel" \
	bash -c "grep -Eq '^isolation: [0-9]{3} system calls answered' '$TMP/iso.out' && grep -q '^iso-rc=0$' '$TMP/iso.out'"
expect "isolation: the guest's mkdir happened in the guest" has iso.out '^/tmp/colinux-isolation-probe$'
expect "isolation: and not on the host" test ! -e /tmp/colinux-isolation-probe
expect "isolation: the monitor survived and powered off cleanly" test "$RC" -eq 0
guest escape 30 run --initrd "$TMP/progs.cpio.gz" --exec '/bin/stub_escape; echo escape-rc=$?'
for check in edits control gadget forged; do
	expect "isolation: guest code cannot reach guest RAM through its stub ($check)" \
		has escape.out "^stub_escape: $check: ok"
done
expect "isolation: stub_escape ran every check" has escape.out '^escape-rc=0$'

guest hostfile 30 run --exec 'cat /etc/hostname 2>&1; ls /home 2>&1 | head -1'
expect "guest root sees the guest's files, not the host's" \
	bash -c "! grep -qx '$(cat /etc/hostname 2>/dev/null || echo none)' '$TMP/hostfile.out' || [ \"\$(cat /etc/hostname)\" = colinux ]"
expect "stop: no stray host processes after the guests" no_stray_monitor

guest spinmode 30 run --handoff block --initrd "$TMP/progs.cpio.gz" --exec 'echo a b | wc -w; timeout 1 /bin/spin; echo spin-rc=$?; exit 4'
expect "--handoff block: programs, preemption and status work the same" \
	bash -c "grep -q '^2$' '$TMP/spinmode.out' && grep -q '^spin-rc=143$' '$TMP/spinmode.out' && [ $RC -eq 4 ]"
guest spinus 30 run --handoff spin:200 --initrd "$TMP/progs.cpio.gz" --exec 'echo a b | wc -w; exit 5'
expect "--handoff spin:200: a spin budget in microseconds" \
	bash -c "grep -q '^2$' '$TMP/spinus.out' && [ $RC -eq 5 ]"
guest badspin 5 run --handoff spin:0 --exec true
expect "--handoff spin:0: refused with exit 2, naming the range" \
	bash -c "[ $RC -eq 2 ] && grep -q -- 'spin:US with US 1 to' '$TMP/badspin.err'"
guest badhandoff 5 run --handoff sideways --exec true
expect "--handoff sideways: refused with exit 2, naming the option" \
	bash -c "[ $RC -eq 2 ] && grep -q -- '--handoff sideways' '$TMP/badhandoff.err'"
expect "stop: no stray host processes after guests of every handoff" no_stray_monitor

long=$(head -c 5000 /dev/zero | tr '\0' 'x')
guest longexec 5 run --exec "echo $long"
expect "--exec longer than the image can carry: refused with exit 2" \
	bash -c "[ $RC -eq 2 ] && grep -q 'command too long' '$TMP/longexec.err'"
guest noinitrd 5 run --initrd "$TMP/no-such.cpio" --exec true
expect "--initrd missing: refused naming the file" \
	bash -c "[ $RC -eq 2 ] && grep -q 'no-such.cpio' '$TMP/noinitrd.err'"

# ptrace inside the guest: Debian's strace (dynamic, with its libraries)
# follows a shell and its child.
if [ -x /usr/bin/strace ]; then
	st=$TMP/strace-root
	rm -rf "$st"; mkdir -p "$st/usr/bin"
	cp /usr/bin/strace "$st/usr/bin/"
	for l in $(ldd /usr/bin/strace | grep -o '/[^ ]*'); do
		mkdir -p "$st$(dirname "$l")"; cp -L "$l" "$st$l"
	done
	images/busybox/mkinitramfs.sh "$TMP/strace.cpio.gz" "$st" >/dev/null
	guest strace 60 run --mem 512M --initrd "$TMP/strace.cpio.gz" --exec 'strace -f -o /tmp/tr sh -c "/bin/true; echo x"; cat /tmp/tr'
	expect "strace in the guest: traces the shell's system calls" \
		has strace.out '^[0-9]+ +write\(1, "x\\n", 2\) += 2'
	expect "strace -f in the guest: follows the child through execve to exit" \
		bash -c "grep -Eq '^[0-9]+ +execve\(\"/bin/true\"' '$TMP/strace.out' && grep -Eq '^[0-9]+ +\+\+\+ exited with 0 \+\+\+' '$TMP/strace.out'"
else
	skip "strace in the guest" "strace is not installed on the host (apt-get install strace)"
fi

# The stubs leave the host's file system where user namespaces allow it.
"$CL" run --exec 'echo up; sleep 5' >"$TMP/ns.out" 2>&1 </dev/null &
mon=$!
for _ in $(seq 100); do grep -q '^up' "$TMP/ns.out" && break; sleep 0.1; done
stubs=$(pgrep -P "$mon" -f colinux-stub)
if unshare --user --mount true 2>/dev/null; then
	empty=1
	for p in $stubs; do
		# A stub the guest is done with may wait to be reaped: no root.
		[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] && continue
		[ -z "$(ls -A "/proc/$p/root" 2>&1)" ] || empty=0
		[ "$(readlink "/proc/$p/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] || empty=0
	done
	expect "stub sandbox: every stub is in a mount namespace not the host's, with an empty root" \
		test -n "$stubs" -a "$empty" = 1
else
	skip "stub sandbox: empty root" "user namespaces are not allowed on this host"
fi
kill -TERM "$mon"; wait "$mon" 2>/dev/null
