# Shared by the integration tests: they boot real guests with the monitor
# and check what a user would see. Sourced, not run.
ROOT=$(pwd)
CL=${CL:-$ROOT/build/colinux}
VMLINUX=${VMLINUX:-build/vmlinux}
TMP=${COLINUX_TEST_TMP:-/tmp/colinux-test}/$(basename "$0" .sh)
mkdir -p "$TMP"

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }

# expect NAME CONDITION-COMMAND... : ok if the command succeeds.
expect() {
	local name=$1; shift
	if "$@"; then ok "$name"; else fail "$name" "$*"; fi
}

now_ms() { date +%s%3N; }

# guest OUT TIMEOUT ARGS...: runs the monitor with stdout to OUT.out and
# stderr to OUT.err; sets RC and MS (wall time).
guest() {
	local out=$1 t=$2; shift 2
	local t0
	t0=$(now_ms)
	RC=0
	timeout -k 5 "$t" "$CL" "$@" </dev/null >"$TMP/$out.out" \
		2>"$TMP/$out.err" || RC=$?
	MS=$(( $(now_ms) - t0 ))
}

has() { grep -Eq -- "$2" "$TMP/$1"; }

# No monitor or stub of this checkout is left running on the host.
no_stray_monitor() {
	local p e
	for p in /proc/[0-9]*; do
		e=$(readlink "$p/exe" 2>/dev/null) || continue
		case $e in
		"$ROOT/build/colinux" | "$ROOT/build/colinux-stub") return 1 ;;
		esac
	done
	return 0
}
