# Issue: `colinux image busybox OUT` makes a bootable ext4 disk without
# root. These tests read the image from the host (e2fsck, debugfs); the
# disk tests (disk.sh) boot one.
. "$(dirname "$0")/lib.bash"
PATH=$PATH:/usr/sbin:/sbin	# e2fsck and debugfs

# img NAME ARGS...: colinux image ARGS, stdout to NAME.out, stderr to
# NAME.err; sets RC.
img() {
	local name=$1; shift
	RC=0
	timeout -k 5 120 "$CL" image "$@" </dev/null >"$TMP/$name.out" \
		2>"$TMP/$name.err" || RC=$?
}

# in_image IMG CMD: debugfs CMD's output (its banner dropped).
in_image() { debugfs -R "$2" "$1" 2>/dev/null; }

# Owners of every entry in IMG's directories but 0:0, one a line.
not_root_owned() {
	local d
	for d in / /bin /sbin /usr /usr/bin /usr/sbin /etc /dev; do
		in_image "$1" "ls -l $d" | awk -v d="$d" \
			'NF > 5 && ($4 != 0 || $5 != 0) { print d "/" $NF }'
	done
}

img help --help
expect "image: --help exits 0 and describes --size" \
	bash -c "[ $RC -eq 0 ] && grep -q -- '--size' '$TMP/help.out'"
expect "image: --help names the default size and the exit status" \
	bash -c "grep -q 256M '$TMP/help.out' && grep -q 'Exit status' '$TMP/help.out'"

disk=$TMP/small.img
rm -f "$disk" "$disk.tmp"
img build busybox "$disk" --size 64M
expect "image: busybox --size 64M exits 0" test "$RC" -eq 0
expect "image: progress lines, ending in 'ready'" \
	bash -c "grep -q '^image: staging busybox' '$TMP/build.out' && grep -q '^image: writing ext4 file system (64M)' '$TMP/build.out' && grep -q 'small.img ready ([0-9]* MiB allocated of 64M)' '$TMP/build.out'"
expect "image: the file is 64 MiB" test "$(stat -c %s "$disk" 2>/dev/null)" = 67108864
expect "image: the file is sparse" \
	test "$(( $(stat -c '%b * %B' "$disk") ))" -lt 67108864
expect "image: no OUT.tmp is left" test ! -e "$disk.tmp"
expect "image: e2fsck -fn finds the file system clean" \
	bash -c "e2fsck -fn '$disk' >'$TMP/fsck.out' 2>&1"
expect "image: labelled colinux-root" \
	bash -c "dumpe2fs -h '$disk' 2>/dev/null | grep -q 'volume name: *colinux-root$'"
expect "image: /sbin/init is a regular file" \
	bash -c "debugfs -R 'stat /sbin/init' '$disk' 2>/dev/null | grep -q 'Type: regular'"
if [ -x "$ROOT/build/colinux-init" ]; then
	in_image "$disk" "dump /sbin/init $TMP/init.dumped" >/dev/null
	expect "image: /sbin/init is our colinux-init" \
		cmp -s "$TMP/init.dumped" "$ROOT/build/colinux-init"
fi
expect "image: /bin/busybox is a regular file" \
	bash -c "debugfs -R 'stat /bin/busybox' '$disk' 2>/dev/null | grep -q 'Type: regular'"
expect "image: /bin/sh is a symlink to busybox" \
	bash -c "debugfs -R 'stat /bin/sh' '$disk' 2>/dev/null | grep -q 'Fast link dest: \"busybox\"'"
expect "image: every busybox applet has its link" \
	test "$(in_image "$disk" 'ls -l /usr/bin' | grep -c ' 120777 ')" -ge \
	"$(/bin/busybox --list-full | grep -c '^usr/bin/')"
expect "image: /etc/hostname is colinux" \
	test "$(in_image "$disk" 'cat /etc/hostname')" = colinux
expect "image: /etc/fstab puts / on /dev/vda as ext4" \
	bash -c "debugfs -R 'cat /etc/fstab' '$disk' 2>/dev/null | grep -Eq '^/dev/vda +/ +ext4'"
expect "image: /etc/passwd has root" \
	bash -c "debugfs -R 'cat /etc/passwd' '$disk' 2>/dev/null | grep -q '^root:x:0:0:'"
expect "image: /dev/console is a character device" \
	bash -c "debugfs -R 'stat /dev/console' '$disk' 2>/dev/null | grep -q 'Type: character special'"
missing=
for d in /proc /sys /dev /tmp /root /mnt /var /run /home; do
	in_image "$disk" "stat $d" | grep -q 'Type: directory' ||
		missing="$missing $d"
done
expect "image: /proc /sys /dev /tmp /root /mnt /var /run /home are directories${missing:+ (missing:$missing)}" \
	test -z "$missing"
bad_owned=$(not_root_owned "$disk" | head -n 3)
expect "image: every file belongs to root (0:0)${bad_owned:+: $bad_owned}" \
	test -z "$bad_owned"

# Without root, too: as nobody, if we are root; owners must still be 0.
nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		env PATH=/usr/local/bin:/usr/bin:/bin TMPDIR="$nob" "$@"
}
if [ "$(id -u)" != 0 ]; then
	skip "image: built by an unprivileged user" "the build above was one"
elif ! command -v setpriv >/dev/null; then
	skip "image: built by an unprivileged user" "no setpriv (util-linux)"
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$CL"; then
	skip "image: built by an unprivileged user" "nobody cannot run $CL"
else
	nob=$(mktemp -d /tmp/colinux-image-test.XXXXXX)
	chmod 1777 "$nob"
	RC=0
	nobody "$CL" image busybox "$nob/user.img" --size 32M \
		>"$TMP/nobody.out" 2>&1 </dev/null || RC=$?
	expect "image: an unprivileged user builds one (exit $RC)" \
		test "$RC" -eq 0 -a "$(stat -c %u "$nob/user.img" 2>/dev/null)" = 65534
	bad_owned=$(not_root_owned "$nob/user.img" | head -n 3)
	expect "image: built without root, every file still belongs to root${bad_owned:+: $bad_owned}" \
		test -z "$bad_owned"
	expect "image: built without root, e2fsck -fn is clean" \
		bash -c "e2fsck -fn '$nob/user.img' >/dev/null 2>&1"
	rm -rf "$nob"
fi

# An existing OUT is left alone unless --force.
sum=$(md5sum <"$disk")
img exists busybox "$disk" --size 32M
expect "image: an existing OUT without --force: exit 2" test "$RC" -eq 2
expect "image: ... naming the file and --force" \
	bash -c "grep -q 'small.img' '$TMP/exists.err' && grep -q -- '--force' '$TMP/exists.err'"
expect "image: ... and the file unchanged" test "$sum" = "$(md5sum <"$disk")"
img force busybox "$disk" --size 48M --force
expect "image: --force overwrites it (exit $RC, now 48 MiB)" \
	test "$RC" -eq 0 -a "$(stat -c %s "$disk")" = $((48 << 20))
expect "image: the overwritten image is clean" \
	bash -c "e2fsck -fn '$disk' >/dev/null 2>&1"
mkdir -p "$TMP/adir"
img forcedir busybox "$TMP/adir" --force
expect "image: --force never replaces a directory (exit 2)" \
	bash -c "[ $RC -eq 2 ] && [ -d '$TMP/adir' ] && grep -q 'not a regular file' '$TMP/forcedir.err'"

# Bad sizes, kinds and arguments: exit 2, a message, nothing written.
for bad in 12Q 1M 31M 2T 40000000 banana; do
	rm -f "$TMP/bad.img"
	img "size$bad" busybox "$TMP/bad.img" --size "$bad"
	expect "image: --size $bad: exit 2, the message names it, no file" \
		bash -c "[ $RC -eq 2 ] && grep -q -- '--size $bad:' '$TMP/size$bad.err' && [ ! -e '$TMP/bad.img' ]"
done
expect "image: --size 1M: says the minimum" grep -q 'at least 32M' "$TMP/size1M.err"
expect "image: --size 40000000: suggests a size in whole MiB" \
	grep -q "try --size 39M" "$TMP/size40000000.err"
img kind debian "$TMP/bad.img"
expect "image: an unknown kind: exit 2, listing the kinds" \
	bash -c "[ $RC -eq 2 ] && grep -q \"unknown image kind 'debian'\" '$TMP/kind.err' && grep -q 'kinds: busybox' '$TMP/kind.err'"
img noout busybox
expect "image: no OUT: exit 2" test "$RC" -eq 2
img nodir busybox "$TMP/no/such/dir/x.img"
expect "image: OUT in a missing directory: exit 2, named" \
	bash -c "[ $RC -eq 2 ] && grep -q 'no/such/dir' '$TMP/nodir.err'"
img badopt busybox "$TMP/bad.img" --sise 64M
expect "image: an unknown option: exit 2, named" \
	bash -c "[ $RC -eq 2 ] && grep -q -- \"'--sise'\" '$TMP/badopt.err'"

# A build that fails exits 1 and leaves no OUT: here OUT.tmp, the file
# the build writes first, is a directory it may not replace.
rm -rf "$TMP/fail.img" "$TMP/fail.img.tmp"
mkdir "$TMP/fail.img.tmp"
img fail busybox "$TMP/fail.img" --size 32M
expect "image: a failed build: exit 1, a message, no OUT" \
	bash -c "[ $RC -eq 1 ] && [ ! -e '$TMP/fail.img' ] && grep -q 'no image written' '$TMP/fail.err'"
rm -rf "$TMP/fail.img.tmp"
