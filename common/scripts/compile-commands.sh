#!/bin/sh
# compile-commands.sh: print compile_commands.json (the compilation database
# clangd and other editors read) for every RISC-V and host source of the kit,
# with the exact flags make uses. Called by `make compile_commands.json` from
# the top of the tree. It asks make for a dry run of a full rebuild
# (make -n -B -k: commands printed, nothing run) and keeps the compile lines
# (`<cc> ... -c -o <object> <source>`), so it needs no extra tool (bear is
# not in a default Debian install) and builds nothing.
set -eu
dir=$(pwd)
# Everything that compiles: the labs' builds, their tests, common's tests.
# `build` and `tests` recurse into make, which keeps -n; deps is skipped.
${MAKE:-make} --no-print-directory -n -B -k build tests DEPS_GROUPS= 2>/dev/null |
awk -v dir="$dir" '
function esc(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return s
}
# A compile line: a C compiler, -c, and the source last (rules.mk).
$1 ~ /(^|\/)([a-z0-9_.-]*-)?(gcc|cc|clang)$/ && / -c / {
	src = $NF
	if (src !~ /\.(c|S|s)$/ || seen[src $0]++)
		next
	obj = ""
	for (i = 1; i < NF; i++)
		if ($i == "-o")
			obj = $(i + 1)
	printf "%s\n  {\"directory\": \"%s\", \"file\": \"%s\", \"output\": \"%s\", \"command\": \"%s\"}", \
		(n++ ? "," : "["), esc(dir), esc(src), esc(obj), esc($0)
}
END {
	print (n ? "\n]" : "[]")
	if (n == 0)
		print "compile-commands.sh: make -n printed no compile line" > "/dev/stderr"
	else
		printf "compile-commands.sh: %d entries\n", n > "/dev/stderr"
}'
