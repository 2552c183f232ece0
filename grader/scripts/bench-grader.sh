#!/bin/bash
# bench-grader.sh LAB [N]: make bench-grader (grader/README.md).
# Times one grade of the reference, then a batch of N (default 50)
# submissions, half copies of the reference's student files and half of the
# starter's (make dist), graded by grade-all.sh; prints per submission and
# the totals. Scratch under $TMPDIR, removed at the end.
set -eu
lab=$1 n=${2:-50}
kit=$(cd "$(dirname "$0")/../.." && pwd)
grader=$kit/build/grader/grader
cores=$(nproc 2>/dev/null || echo 2)
work=$(mktemp -d "${TMPDIR:-/tmp}/kit-bench-grader-XXXXXX")
trap 'rm -rf "$work"' EXIT
students=$(awk '$1 == "student" { print $2 }' "$kit/labs/$lab.manifest")

echo "bench-grader: $lab on $cores core(s), $(uname -r)"
t0=$(date +%s.%N)
"$grader" grade --lab "$lab" --kit "$kit" --out "$work/one" >"$work/one.log" 2>&1 || true
t1=$(date +%s.%N)
echo "one grade of the reference ($cores tests at a time): $(grep -E '^Total:' "$work/one.log") in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"

"$grader" dist --lab "$lab" --dest "$work/starter" >/dev/null
mkdir -p "$work/subs"
for i in $(seq 1 "$n"); do
	kind=reference src=$kit
	if [ $((i % 2)) = 0 ]; then kind=starter src=$work/starter; fi
	d=$work/subs/$(printf '%03d' "$i")-$kind
	for f in $students; do
		mkdir -p "$d/$(dirname "$f")"
		cp "$src/$f" "$d/$f"
	done
done
t0=$(date +%s.%N)
"$kit/grader/scripts/grade-all.sh" "$lab" "$work/subs" "$work/batch" "$cores" 2>/dev/null
t1=$(date +%s.%N)
total=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
echo "batch of $n ($((n - n / 2)) reference, $((n / 2)) starter), $cores grades at a time: $total s," \
	"$(awk "BEGIN { printf \"%.1f\", $total / $n }") s per submission"
