#!/bin/bash
# gradescope.sh LAB ZIP "DEPS GROUPS": make gradescope (grader/README.md).
#
# Writes the Gradescope autograder ZIP: setup.sh (run once, as root, when
# Gradescope builds the image), run_autograder (run per submission) and
# kit/: the starter tree of `make dist` (no reference solution anywhere),
# plus the lab's private files (hidden tests) and its full manifest (the
# hidden tests' lines, with their visibility).
set -eu
lab=$1 zip=$2 groups=$3
kit=$(cd "$(dirname "$0")/../.." && pwd)
grader=$kit/build/grader/grader
manifest=$kit/labs/$lab.manifest
command -v zip >/dev/null || { echo "gradescope: the zip command is missing (Debian package zip; make deps)" >&2; exit 1; }
stage=$(mktemp -d "${TMPDIR:-/tmp}/kit-gradescope-XXXXXX")
trap 'rm -rf "$stage"' EXIT
"$grader" dist --lab "$lab" --dest "$stage/kit" >/dev/null
awk '$1 == "private" { print $2 }' "$manifest" | while read -r f; do
	mkdir -p "$stage/kit/$(dirname "$f")"
	cp "$kit/$f" "$stage/kit/$f"
done
cp "$manifest" "$stage/kit/labs/$lab.manifest"

cat >"$stage/setup.sh" <<SETUP
#!/bin/bash
# Gradescope image setup (as root): the kit's Debian packages, the grader.
set -eu
cd "\${AUTOGRADER_ROOT:-/autograder}/source/kit"
common/scripts/deps.sh $groups
make build/grader/grader
# the kit's own products every grading tree takes prebuilt (manifest
# \`prebuilt\`: lab02's Linux), built once into the image
for p in \$(awk '\$1 == "prebuilt" { print \$2 }' labs/$lab.manifest); do make "\$p"; done
# the kit holds the hidden tests' sources: only root may read it (the
# grader runs submissions as uid 65534)
chmod -R go-rwx "\${AUTOGRADER_ROOT:-/autograder}/source"
SETUP

cat >"$stage/run_autograder" <<RUN
#!/bin/bash
# Gradescope runs this per submission, as root. AUTOGRADER_ROOT (default
# /autograder) lets an instructor try it in a scratch directory.
set -u
root=\${AUTOGRADER_ROOT:-/autograder}
kit=\$root/source/kit
sub=\$root/submission
mkdir -p "\$root/results"
# Students may upload the files alone (csr.c) or in the kit's layout
# (lab01-trap-emulate/vmm/csr.c): put each student file in its place.
# A regular file only, with no symbolic link on its path: cp, run as root
# here, would copy what a link names (/proc/1/environ, a hidden test) into
# the build and so into the report; find -type f does not follow links.
stage=\$(mktemp -d)
trap 'rm -rf "\$stage"' EXIT
real_sub=\$(realpath -e -- "\$sub")
awk '\$1 == "student" { print \$2 }' "\$kit/labs/$lab.manifest" | while read -r f; do
	src=\$sub/\$f
	[ -f "\$src" ] && [ "\$(realpath -e -- "\$src")" = "\$real_sub/\$f" ] ||
		src=\$(find "\$sub" -type f -name "\$(basename "\$f")" 2>/dev/null | head -n 1)
	if [ -n "\$src" ] && [ -f "\$src" ]; then
		mkdir -p "\$stage/\$(dirname "\$f")"
		cp "\$src" "\$stage/\$f"
	fi
done
cd "\$kit"
build/grader/grader grade --lab $lab --kit "\$kit" --submission "\$stage" --out "\$root/results"
# Gradescope reads results/results.json; the exit status does not matter
exit 0
RUN
chmod +x "$stage/setup.sh" "$stage/run_autograder"
rm -f "$zip"
mkdir -p "$(dirname "$zip")"
zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"
(cd "$stage" && zip -qr "$zip" setup.sh run_autograder kit)
echo "gradescope: $zip (setup.sh, run_autograder, kit/: starter tree, hidden tests, full manifest)"
