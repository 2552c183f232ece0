#!/bin/sh
# ptdump.sh MODE VMM_BIN VMM_ELF GUEST_BIN GUEST_ELF AT OUT_DIR NAME [BOOTARGS]
#
# make ptdump (common/mk/ptdump.mk): boot GUEST_BIN under the VMM in QEMU
# with its gdb stub, stop at AT with gdb in batch mode (a symbol of the
# guest's or the VMM's ELF, or N: the VMM's N-th exit), read the guest's
# page table and the table the VMM holds for it (kit-ptdump-at,
# common/scripts/kit_ptdump.py), and render them with Graphviz:
# OUT_DIR/NAME-AT.dot and .svg. Prints the SVG's path and a summary.
#
# Environment: PTDUMP_TIMEOUT (seconds, default 120) bounds the whole gdb
# session; PTDUMP_MAX (default 120) caps the mappings drawn per table;
# PTDUMP_QEMU_ARGS adds QEMU options (MODE=nested adds -cpu rv64,h=true).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 8 ] || { echo "usage: ptdump.sh MODE VMM_BIN VMM_ELF GUEST_BIN GUEST_ELF AT OUT_DIR NAME [BOOTARGS]" >&2; exit 2; }
mode=$1 vmm_bin=$2 vmm_elf=$3 guest_bin=$4 guest_elf=$5 at=$6 out_dir=$7 name=$8
bootargs=${9:-}
timeout_s=${PTDUMP_TIMEOUT:-120}
QEMU=${QEMU:-qemu-system-riscv64}
GDB=${GDB:-gdb-multiarch}

fail() { echo "ptdump: $*" >&2; exit 1; }

case "$mode" in
shadow) cpu="" ;;
nested) cpu="-cpu rv64,h=true" ;;
*) fail "MODE=$mode: shadow or nested" ;;
esac
case "$at" in
"") fail "give AT=<symbol> (a function of the guest or the VMM, e.g. AT=proc_trap) or AT=<N> (the VMM's N-th exit)" ;;
*[!A-Za-z0-9_.]*) fail "AT=$at: a symbol name or a number of exits" ;;
esac
for t in "$QEMU" "$GDB" dot timeout; do
	command -v "$t" >/dev/null 2>&1 || fail "'$t' is not installed (make deps; graphviz gives dot, gdb-multiarch and qemu-system-misc the rest: common/scripts/deps.sh riscv)"
done
for f in "$vmm_bin" "$vmm_elf" "$guest_bin"; do
	[ -r "$f" ] || fail "no $f"
done

mkdir -p "$out_dir"
base=$out_dir/$name-$at
dot_file=$base.dot
svg_file=$base.svg
console=$base.console.txt
log=$base.gdb.txt
rm -f "$dot_file" "$svg_file"
script=$(mktemp /tmp/kit-ptdump-XXXXXX)
qpid=""
cleanup() {
	if [ -n "$qpid" ]; then kill "$qpid" 2>/dev/null || true; wait "$qpid" 2>/dev/null || true; fi
	rm -f "$script"
}
trap cleanup EXIT INT TERM

# QEMU with its stub on a free port: a port taken since we looked makes QEMU
# exit at once, then the next one is tried
for try in 1 2 3 4 5; do
	port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 ))
	# shellcheck disable=SC2086
	"$QEMU" -M virt -m 256M -smp 1 -bios default -nographic $cpu ${PTDUMP_QEMU_ARGS:-} \
		-kernel "$vmm_bin" -initrd "$guest_bin" ${bootargs:+-append "$bootargs"} \
		-S -gdb tcp:127.0.0.1:$port </dev/null >"$console" 2>&1 &
	qpid=$!
	sleep 0.3
	kill -0 "$qpid" 2>/dev/null && break
	wait "$qpid" 2>/dev/null || true
	qpid=""
done
[ -n "$qpid" ] || { cat "$console" >&2; fail "QEMU did not start"; }

{
	echo "set pagination off"
	echo "set confirm off"
	echo "set architecture riscv:rv64"
	echo "file $vmm_elf"
	[ -n "$guest_elf" ] && [ -r "$guest_elf" ] && echo "add-symbol-file $guest_elf"
	echo "source $here/kit_gdb.py"
	echo "source $here/kit_ptdump.py"
	# QEMU may still be starting on a loaded machine: try for 5 s
	printf 'python\nimport time\nfor i in range(50):\n    try:\n        gdb.execute("target remote 127.0.0.1:%s")\n        break\n    except gdb.error:\n        time.sleep(0.1)\nelse:\n    raise gdb.GdbError("ptdump: cannot reach QEMU'"'"'s gdb stub on 127.0.0.1:%s")\nend\n' "$port" "$port"
	echo "kit-ptdump-at $at $dot_file $mode"
	echo "kill"
} >"$script"

rc=0
PTDUMP_TITLE="$name at $at ($mode)" timeout -k 5 "$timeout_s" "$GDB" -nx -batch -x "$script" \
	</dev/null >"$log" 2>&1 || rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	tail -n 5 "$console" >&2
	echo >&2
	fail "AT=$at was not reached within $timeout_s s (PTDUMP_TIMEOUT; console above, all of it in $console)"
fi
if grep -q '^ptdump: ' "$log" && ! grep -q '^ptdump: summary: ' "$log"; then
	grep '^ptdump: ' "$log" >&2
	exit 1
fi
if [ ! -s "$dot_file" ]; then
	tail -n 20 "$log" >&2
	fail "gdb wrote no $dot_file (its output above, all of it in $log)"
fi
dot -Tsvg "$dot_file" -o "$svg_file" || fail "dot could not render $dot_file"
grep '^ptdump: stopped at' "$log" || true
echo "ptdump: $svg_file (and $dot_file)"
grep '^ptdump: summary: ' "$log" | sed 's/^ptdump: summary: /ptdump: /'
