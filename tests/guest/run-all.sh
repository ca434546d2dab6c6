#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs every guest test program (NAME_test-static, NAME_test-dynamic) in
# directory $1 (default: the directory this script is in), one after the
# other, showing their lines as they come ("ok NAME", "FAIL NAME: why",
# "skip NAME: why"). Ends with the failures again, the number of skips,
# and the line "N passed, N failed". Exit status 0 only if nothing failed
# and something passed. A program that exits non-zero (or cannot run)
# without printing a FAIL line counts as one failure.
#
# Plain POSIX sh: runs under busybox in the guest as well as natively.
# The environment reaches the programs: GT_TIMEOUT=SECONDS (per check),
# GT_NOFORK=1 (run checks in-process; see guest_test.h).

dir=${1:-$(dirname "$0")}
if [ ! -d "$dir" ]; then
	echo "run-all.sh: $dir: not a directory" >&2
	exit 2
fi

passed=0 failed=0 skipped=0 ran=0 failures=
nl='
'
exec 3>&1
for t in "$dir"/*_test-*; do
	case $t in
	*-static | *-dynamic) ;;
	*) continue ;;
	esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	ran=$((ran + 1))
	name=${t##*/}
	echo "== $name"
	# The program's lines go straight to fd 3 (our stdout) as they come;
	# captured are its FAIL lines and last "=gt-end= OK FAIL SKIP STATUS".
	summary=$( { "$t" 2>&1; echo "=gt-end= $?"; } | {
		p=0 f=0 s=0
		while IFS= read -r line; do
			case $line in
			"=gt-end= "*)
				echo "=gt-end= $p $f $s ${line#=gt-end= }"
				continue ;;
			"ok "*) p=$((p + 1)) ;;
			"FAIL "*) f=$((f + 1)); echo "$line" ;;
			"skip "*) s=$((s + 1)) ;;
			esac
			printf '%s\n' "$line" >&3
		done
	})
	p=0 f=0 s=0 rc=1
	while IFS= read -r line; do
		case $line in
		"=gt-end= "*)
			set -- ${line#=gt-end= }
			p=$1 f=$2 s=$3 rc=$4 ;;
		"") ;;
		*) failures="$failures$line$nl" ;;
		esac
	done <<SUMMARY
$summary
SUMMARY
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		line="FAIL $name: exited with status $rc without a FAIL line"
		echo "$line"
		failures="$failures$line$nl"
		f=1
	elif [ "$rc" -eq 0 ] && [ $((p + f + s)) -eq 0 ]; then
		line="FAIL $name: printed no results"
		echo "$line"
		failures="$failures$line$nl"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done

if [ "$ran" -eq 0 ]; then
	echo "run-all.sh: no *_test-static or *_test-dynamic programs in $dir"
fi
if [ -n "$failures" ]; then
	echo
	echo "failures:"
	printf '%s' "$failures"
fi
[ "$skipped" -gt 0 ] && echo "($skipped skipped, each with its reason above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
