# Issue: the process engine. Debian's gdb (dynamic, with Python) debugs a
# program inside the guest: breakpoints, next and stepi (single-step),
# the FP and AVX registers read and written (PTRACE_GETFPREGS, GETREGSET
# NT_X86_XSTATE), a software watchpoint. The same script runs under gdb
# on the host; the two transcripts must tell the same story.
. "$(dirname "$0")/lib.bash"

if ! [ -x /usr/bin/gdb ]; then
	skip "gdb in the guest" "gdb is not installed on the host (apt-get install gdb)"
	exit 0
fi
py=$(ls -d /usr/lib/python3.[0-9]* 2>/dev/null | sort -V | tail -1)
root=$TMP/gdb-root
rm -rf "$root"; mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/usr/share"
# Its source where the guest's gdb will look (the guest's /tmp is its own
# tmpfs, so not under the checkout); the host's gdb maps it back.
src=/usr/src/debugee
gcc -g -O0 -static -fdebug-prefix-map="$ROOT=$src" \
	-o "$root/usr/bin/debugee" tests/integration/progs/debugee.c
mkdir -p "$root$src/tests/integration/progs"
cp tests/integration/progs/debugee.c "$root$src/tests/integration/progs/"
cp /usr/bin/gdb "$root/usr/bin/"
for l in $(ldd /usr/bin/gdb | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$l")"; cp -L "$l" "$root$l"
done
# gdb's Python needs its standard library, not its tests.
[ -n "$py" ] && cp -r "$py" "$root/usr/lib/" &&
	rm -rf "$root$py/test" "$root$py/idlelib" "$root$py/tkinter"
cp -r /usr/share/gdb "$root/usr/share/"
cat >"$root/usr/share/debugee.gdb" <<'GDB'
set pagination off
set confirm off
break f
run
bt
next
print d
print $xmm0.v2_double[0]
stepi
stepi
print $pc - (long)&f
delete
set can-use-hw-watchpoints 0
watch g
continue
delete
break *twice
continue
set $xmm0.v2_double[0] = 21
print $xmm0.v2_double[0]
print $ymm0.v4_double[0]
continue
GDB
# The default image, then gdb's tree as a second, uncompressed archive
# (the kernel unpacks both; gzip of 130 MB would take most of a minute).
cp build/initramfs.cpio.gz "$TMP/gdb.cpio"
truncate -s %512 "$TMP/gdb.cpio"
(cd "$root" && find . | cpio -o -H newc --quiet) >>"$TMP/gdb.cpio"

guest gdb 120 run --mem 1G --initrd "$TMP/gdb.cpio" \
	--exec 'gdb -nx -batch -x /usr/share/debugee.gdb /usr/bin/debugee 2>&1'
(cd "$root" && gdb -nx -batch -ex "set substitute-path $src $ROOT" \
	-x usr/share/debugee.gdb usr/bin/debugee) \
	>"$TMP/gdb-host.out" 2>&1 </dev/null

# What both must say, with what only one side has (the kernel log,
# process ids, the guest's missing locale) left out.
story() {
	grep -Ev -e '^\[ *[0-9]+\.[0-9]+\]' -e 'host encoding' \
		-e 'should not happen' "$1" | sed -e 's/process [0-9]*/process N/'
}
expect "gdb in the guest: a breakpoint stops f with its argument" \
	has gdb.out 'Breakpoint 1, f \(x=0\)'
expect "gdb in the guest: a register it wrote reached the program (twice(21))" \
	has gdb.out '^sum 9 twice 42$'
expect "gdb in the guest: a software watchpoint sees g change from 0 to 1" \
	bash -c "grep -q 'Old value = 0' '$TMP/gdb.out' && grep -q 'New value = 1' '$TMP/gdb.out'"
expect "gdb in the guest tells the same story as on the host (next, stepi, FP and AVX registers)" \
	diff <(story "$TMP/gdb-host.out") <(story "$TMP/gdb.out")
rm -rf "$root"
