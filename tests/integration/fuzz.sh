# The libFuzzer targets of tests/fuzz, run for FUZZ_SECONDS each (default
# 30): one "ok fuzz NAME" or "FAIL fuzz NAME" line per target, or a skip
# when clang's libFuzzer is missing.
exec bash "$(dirname "$0")/../fuzz/run.sh"
