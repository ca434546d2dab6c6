#!/bin/bash
# Usage: replace-section.sh RESULTS.md "## Heading" SECTION-FILE
# Puts SECTION-FILE (which starts with the heading line) in RESULTS.md in
# place of that heading's section (up to the next "## " heading), or at
# the end if there is none; creates RESULTS.md if it does not exist.
set -euo pipefail
results=$1
heading=$2
section=$3
if [ ! -f "$results" ]; then
	{ echo '# coLinux benchmark results'; echo; cat "$section"; } >"$results"
	exit 0
fi
awk -v sec="$heading" -v file="$section" '
	$0 == sec { skip = 1; while ((getline l < file) > 0) print l; print ""; done = 1; next }
	skip && /^## / { skip = 0 }
	!skip { print }
	END { if (!done) { print ""; while ((getline l < file) > 0) print l } }
' "$results" >"$results.new"
cat "$results.new" >"$results"
rm -f "$results.new"
