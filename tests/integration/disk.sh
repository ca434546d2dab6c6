# Issue: host-emulated devices. A host file as the guest's disk: root on
# it, data surviving a power off, two disks, a read-only disk, fstrim,
# clean shutdown and reboot, clear errors for bad disks; virtio-rng.
. "$(dirname "$0")/lib.bash"

root=$TMP/root.img
if ! "$CL" image busybox "$root" --size 128M --force >"$TMP/image.out" 2>&1; then
	fail "disk: colinux image busybox" "$(tail -1 "$TMP/image.out")"
	exit 0
fi

guest boot 30 run --disk "$root" --exec 'mount | grep " / "; cat /proc/partitions; echo "written $$" | tee /root/persist; exit 5'
expect "disk: root is ext4 on /dev/vda, mounted read-write" has boot.out '^/dev/root on / type ext4 \(rw'
expect "disk: --exec on a disk root passes its status (5)" test "$RC" -eq 5
mark=$(grep -Eo '^written [0-9]+' "$TMP/boot.out")
guest again 30 run --disk "$root" --exec 'cat /root/persist'
best=999999
for _ in 1 2 3; do
	guest fast 30 run --disk "$root" --exec true
	[ "$MS" -lt "$best" ] && best=$MS
done
expect "disk: boot from disk, run, power off in < 1 s (best $best ms)" test "$best" -lt 1000
expect "disk: a file written before power off reads back on the next boot" \
	test -n "$mark" -a "$(grep -c "^$mark\$" "$TMP/again.out")" = 1
expect "disk: e2fsck finds the file system clean after power off" \
	e2fsck -fn "$root"

# A second disk, made on the host, written by the guest, read on the host.
data=$TMP/data.img
rm -f "$data"; truncate -s 32M "$data"; mkfs.ext4 -q -F "$data"
guest two 30 run --disk "$root" --disk "$data" --exec 'mount /dev/vdb /mnt && echo from-guest > /mnt/hello && umount /mnt && echo vdb-done'
expect "disk: two disks: the guest mounts and writes /dev/vdb" has two.out '^vdb-done'
expect "disk: two disks: the host reads the guest's file from the second disk" \
	bash -c "debugfs -R 'cat /hello' '$data' 2>/dev/null | grep -qx from-guest"

# Read-only: the file system refuses writes and the bytes never change.
before=$(md5sum <"$root")
guest ro 30 run --disk "$root,ro" --exec 'touch /root/x; dd if=/dev/zero of=/dev/vda bs=512 count=1 2>&1; grep " / " /proc/mounts'
expect "disk: ,ro: a write in the guest fails with EROFS" has ro.out 'Read-only file system'
expect "disk: ,ro: the root is mounted read-only" has ro.out '^/dev/root / ext4 ro'
expect "disk: ,ro: the host file's bytes are unchanged" test "$before" = "$(md5sum <"$root")"

# fstrim punches holes in the host file.
guest fill 60 run --disk "$root" --exec 'dd if=/dev/urandom of=/root/fill bs=1M count=24 2>/dev/null; sync'
full=$(du -k "$root" | cut -f1)
guest trim 60 run --disk "$root" --exec 'rm /root/fill; sync; fstrim -v /'
trimmed=$(du -k "$root" | cut -f1)
expect "disk: fstrim shrinks the host file's blocks ($full KiB -> $trimmed KiB)" \
	test $((full - trimmed)) -gt 20000

# SIGTERM asks for a clean shutdown: / is made read-only, fsck is clean.
"$CL" run --disk "$root" --exec 'echo started; sleep 60' >"$TMP/term.out" 2>&1 </dev/null &
pid=$!
for _ in $(seq 100); do grep -q '^started' "$TMP/term.out" && break; sleep 0.1; done
kill -TERM "$pid"; RC=0; wait "$pid" || RC=$?
expect "disk: SIGTERM: the guest shuts down cleanly (exit 0)" test "$RC" -eq 0
expect "disk: SIGTERM: the root was remounted read-only before power off" \
	has term.out 'EXT4-fs \(vda\): re-mounted'
expect "disk: SIGTERM: e2fsck finds the file system clean" e2fsck -fn "$root"

# reboot starts the guest again in the same monitor.
guest reboot 30 run --disk "$root" --exec 'if [ -e /root/booted ]; then echo second-boot; rm /root/booted; else touch /root/booted; echo first-boot; reboot; sleep 10; fi'
expect "disk: reboot: the guest boots again and the job runs on the second boot" \
	bash -c "grep -q '^first-boot' '$TMP/reboot.out' && grep -q '^second-boot' '$TMP/reboot.out' && [ $RC -eq 0 ]"

# Bad disks are refused before anything boots, with the reason.
guest missing 10 run --disk "$TMP/nope.img" --exec true
expect "disk: a missing file: exit 2, named" \
	bash -c "[ $RC -eq 2 ] && grep -q 'nope.img: No such file' '$TMP/missing.err'"
head -c 1000 /dev/zero >"$TMP/odd.img"
guest odd 10 run --disk "$TMP/odd.img" --exec true
expect "disk: a size not a multiple of 512: exit 2, named" \
	bash -c "[ $RC -eq 2 ] && grep -q 'odd.img: size 1000 bytes' '$TMP/odd.err'"
"$CL" run --initrd "$ROOT/build/initramfs.cpio.gz" --disk "$data" --exec 'echo holding; sleep 30' >"$TMP/hold.out" 2>&1 </dev/null &
pid=$!
for _ in $(seq 100); do grep -q '^holding' "$TMP/hold.out" && break; sleep 0.1; done
guest locked 10 run --disk "$root" --disk "$data" --exec true
expect "disk: a disk in use by another monitor: exit 2, 'in use'" \
	bash -c "[ $RC -eq 2 ] && grep -q 'in use by another colinux' '$TMP/locked.err'"
kill -KILL "$pid"; wait "$pid" 2>/dev/null
if [ "$(id -u)" = 0 ]; then
	skip "disk: an unreadable file" "root reads every file"
else
	cp "$data" "$TMP/secret.img"; chmod 000 "$TMP/secret.img"
	guest secret 10 run --disk "$TMP/secret.img" --exec true
	expect "disk: an unreadable file: exit 2, Permission denied" \
		bash -c "[ $RC -eq 2 ] && grep -q 'Permission denied' '$TMP/secret.err'"
fi
guest badopt 10 run --disk "" --exec true
expect "disk: an empty --disk: exit 2" test "$RC" -eq 2

# virtio-rng: the guest's hardware random source.
guest rng 30 run --exec 'cat /sys/class/misc/hw_random/rng_current; head -c 4096 /dev/hwrng | wc -c'
expect "rng: the guest's hwrng is virtio" has rng.out '^virtio_rng'
expect "rng: /dev/hwrng gives bytes" has rng.out '^4096$'
