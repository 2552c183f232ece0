#!/bin/bash
# run-tests.sh BIN...: run Criterion test binaries one after the other and
# close with the line "N passed, M failed". A binary that dies before it
# reports counts as one failure. Exit status 0 only if nothing failed.
set -u
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for bin in "$@"; do
	name=${bin#build/}
	echo "=== $name"
	tap=$tmp/tap
	: > "$tap"
	"$bin" --tap="$tap" -j"${JOBS:-$(nproc)}" --short-filename 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$tap" || true)
	bad=$(grep -c '^not ok ' "$tap" || true)
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "!!! $name exited with status $rc without reporting a failed test"
		bad=1
	fi
	if [ $((ok + bad)) -eq 0 ]; then
		echo "!!! $name ran no test"
		bad=1
	fi
	pass=$((pass + ok))
	fail=$((fail + bad))
done
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
