# Shared by the integration tests: they boot real guests with the monitor
# and check what a user would see. Sourced, not run.
CL=${CL:-build/colinux}
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

# Exactly the bytes of $1's host processes left over: must be none.
no_stray_monitor() {
	! pgrep -f "^$CL run" >/dev/null
}
