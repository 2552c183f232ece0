#!/bin/bash
# grade-all.sh LAB SUBMISSIONS OUT [JOBS]: make grade-all (grader/README.md).
#
# Grades every submission in SUBMISSIONS (a subdirectory, or a .tar,
# .tar.gz, .tgz or .zip, each one student), JOBS at a time (default: the
# number of cores; each grade then runs its tests one at a time, which
# keeps the batch linear in cores). Writes OUT/grades.csv (submission,
# score, max_score, then the points of every test) and OUT/<name>/ with
# results.json, junit.xml and the grader's log. One broken submission
# (unpackable, no such files, a grader failure) is a row with an empty
# score and the reason in its log; the batch goes on.
set -u
lab=$1 subs=$2 out=$3 jobs=${4:-$(nproc 2>/dev/null || echo 2)}
kit=$(cd "$(dirname "$0")/../.." && pwd)
grader=$kit/build/grader/grader
# MANIFEST=file: another manifest than labs/LAB.manifest (the self-check's fixture)
mf=()
[ -n "${MANIFEST:-}" ] && mf=(--manifest "$(cd "$(dirname "$MANIFEST")" && pwd)/$(basename "$MANIFEST")")
[ -d "$subs" ] || { echo "grade-all: SUBMISSIONS=$subs is not a directory" >&2; exit 2; }
"$grader" check --lab "$lab" --kit "$kit" "${mf[@]}" >/dev/null || { echo "grade-all: labs/$lab.manifest has errors" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
subs=$(cd "$subs" && pwd)
unpack=$(mktemp -d "${TMPDIR:-/tmp}/kit-grade-all-XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$unpack"' EXIT
trap 'exit 130' INT TERM HUP

# A tarball or zip becomes a directory; a single top directory inside is
# the submission itself.
prepare() { # name path -> prints the directory to grade, or fails
	local name=$1 path=$2 dir=$unpack/$1
	if [ -d "$path" ]; then
		echo "$path"
		return 0
	fi
	mkdir -p "$dir"
	case "$path" in
	*.tar | *.tar.gz | *.tgz) tar -xf "$path" -C "$dir" --no-same-owner --no-same-permissions 2>&1 || return 1 ;;
	*.zip) unzip -q -o "$path" -d "$dir" 2>&1 || return 1 ;;
	*) echo "not a directory, tarball or zip"; return 1 ;;
	esac
	local entries
	entries=$(ls -A "$dir")
	if [ "$(echo "$entries" | wc -l)" = 1 ] && [ -d "$dir/$entries" ]; then
		echo "$dir/$entries"
	else
		echo "$dir"
	fi
}

grade_one() { # name path
	local name=$1 path=$2 res=$out/$1 dir
	rm -rf "$res"
	mkdir -p "$res"
	local t0=$SECONDS
	if ! dir=$(prepare "$name" "$path" 2>&1 | tail -n 1) || [ ! -d "$dir" ]; then
		echo "grade-all: cannot unpack $path: $dir" >"$res/log.txt"
	else
		"$grader" grade --lab "$lab" --kit "$kit" "${mf[@]}" --submission "$dir" --out "$res" --jobs 1 \
			>"$res/log.txt" 2>&1 </dev/null
		echo "grade-all: exit status $?" >>"$res/log.txt"
	fi
	rm -rf "${unpack:?}/$name"
	echo "$((SECONDS - t0))" >"$res/seconds"
}

names=() paths=()
for p in "$subs"/*; do
	[ -e "$p" ] || continue
	n=$(basename "$p")
	n=${n%.tar.gz}; n=${n%.tgz}; n=${n%.tar}; n=${n%.zip}
	names+=("$n")
	paths+=("$p")
done
total=${#names[@]}
[ "$total" -gt 0 ] || { echo "grade-all: no submissions in $subs" >&2; exit 2; }

bar() { # done
	local w=40 f=$(($1 * 40 / total))
	printf '\r[%s%s] %d/%d graded' "$(printf '%*s' "$f" '' | tr ' ' '#')" "$(printf '%*s' $((w - f)) '')" "$1" "$total" >&2
}
echo "grade-all: $total submission(s) of $lab, $jobs at a time; results under $out" >&2
done=0 running=0
bar 0
for i in "${!names[@]}"; do
	while [ "$running" -ge "$jobs" ]; do
		wait -n
		running=$((running - 1)) done=$((done + 1))
		bar "$done"
	done
	grade_one "${names[$i]}" "${paths[$i]}" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n
	running=$((running - 1)) done=$((done + 1))
	bar "$done"
done
echo >&2

# grades.csv: the grader's own summary rows, in the order of the names
csv=$out/grades.csv
header=""
for n in "${names[@]}"; do
	[ -f "$out/$n/summary.csv" ] && header=$(head -n 1 "$out/$n/summary.csv") && break
done
echo "${header:-submission,score,max_score}" >"$csv"
broken=0
for n in "${names[@]}"; do
	if [ -f "$out/$n/summary.csv" ]; then
		# the row's first field names the graded directory: use the batch's name
		printf '"%s",%s\n' "${n//\"/\"\"}" "$(tail -n +2 "$out/$n/summary.csv" | sed 's/^"\([^"]\|""\)*",//')" >>"$csv"
	else
		echo "\"${n//\"/\"\"}\",," >>"$csv"
		broken=$((broken + 1))
	fi
	printf '  %-32s %s s  %s\n' "$n" "$(cat "$out/$n/seconds" 2>/dev/null)" \
		"$(grep -E '^Total:' "$out/$n/log.txt" 2>/dev/null || echo 'NOT GRADED: see log.txt')"
done
echo "grade-all: $csv ($total submissions, $broken not graded)"
