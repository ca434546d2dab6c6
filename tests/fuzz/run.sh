#!/bin/bash
# Builds each libFuzzer target in tests/fuzz (NAME_fuzz.c, linked with the
# host sources it covers) into build/tests/fuzz/ and runs it for
# FUZZ_SECONDS (default 30) from a seed corpus the target itself writes
# (built with -DFUZZ_SEEDS). Prints "ok fuzz NAME (N runs)", or
# "FAIL fuzz NAME: ..." naming the crash file that reproduces it, or
# "skip fuzz: why" when clang or its libFuzzer is missing.
#
# Undefined behaviour is made fatal (-fno-sanitize-recover): otherwise
# UBSan only prints and the run still passes.
cd "$(dirname "$0")/../.." || exit 2

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
OUT=build/tests/fuzz
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Ihost"

# NAME and the host sources its target links.
TARGETS=(
	"virtqueue host/virtio/virtqueue.c"
	"blk_request host/virtio/blk_request.c host/virtio/virtqueue.c"
)

if ! command -v clang >/dev/null; then
	echo "skip fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)"
	exit 0
fi
tmp=$(mktemp -d /tmp/colinux-fuzz.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT

echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$tmp/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$tmp/probe" "$tmp/probe.c" \
		>"$tmp/probe.log" 2>&1; then
	why=$(grep -m1 -E 'cannot find|not found|No such file' "$tmp/probe.log" ||
	      grep -m1 -i error "$tmp/probe.log")
	echo "skip fuzz: clang cannot link libFuzzer (${why:-see clang -fsanitize=fuzzer}); apt-get install libclang-rt-14-dev"
	exit 0
fi

mkdir -p "$OUT/crashes"
failed=0
for t in "${TARGETS[@]}"; do
	read -r name srcs <<<"$t"
	src=tests/fuzz/${name}_fuzz.c
	bin=$OUT/${name}_fuzz
	log=$OUT/$name.log
	blog=$OUT/$name.build.log
	corpus=$tmp/corpus-$name

	# shellcheck disable=SC2086 # srcs is a list
	if ! clang $CFLAGS -o "$bin" "$src" $srcs >"$blog" 2>&1; then
		echo "FAIL fuzz $name: does not build, see $blog"
		sed 's/^/    /' "$blog" | head -20
		failed=1
		continue
	fi
	mkdir -p "$corpus"
	# shellcheck disable=SC2086
	if ! clang -g -O1 -DFUZZ_SEEDS -Iinclude -Ihost -o "$tmp/seeds-$name" \
			"$src" $srcs >>"$blog" 2>&1 ||
	   ! "$tmp/seeds-$name" "$corpus" >>"$blog" 2>&1; then
		echo "FAIL fuzz $name: cannot write its seed corpus, see $blog"
		failed=1
		continue
	fi

	# -timeout: an input running 10 s is a hang (a ring loop not caught).
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/crashes/$name-" \
		"$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
		echo "ok fuzz $name (${runs:-?} runs)"
	else
		why=$(grep -m1 -E '^==[0-9]+== ?ERROR|runtime error' "$log")
		where=$(grep -m1 -E ' (host|tests)/[^ ]+:[0-9]+' "$log")
		echo "FAIL fuzz $name: ${crash:-no crash file (exit $rc)} (reproduce: $bin ${crash:-}; log $log)"
		[ -n "$why" ] && echo "    $why"
		[ -n "$where" ] && echo "    $where"
		failed=1
	fi
done
exit "$failed"
