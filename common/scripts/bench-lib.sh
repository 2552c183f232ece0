# bench-lib.sh: what the bench scripts share (sourced; bench.sh,
# bench-linux.sh). The machine with -icount shift=0 (instret counts
# executed instructions exactly; REFERENCES.md, "QEMU virt"), and
# bench_run, which runs it once and keeps the console.
QEMU=${QEMU:-qemu-system-riscv64}
LIMIT=${BENCH_TIMEOUT:-300}
machine=(-M virt -m 256M -smp 1 -bios default -display none -serial stdio -monitor none -no-reboot -icount shift=0)
# BENCH_QEMU_EXTRA: a lab's own machine arguments after these (lab03: -m
# 512M and its disk; a later -m wins); BENCH_APPEND: the guest's bootargs
# in every run (lab03: kit.only=bench, the paging guest's bench group only)
read -r -a machine_extra <<<"${BENCH_QEMU_EXTRA:-}"
machine+=("${machine_extra[@]}")
bench_append=()
[ -z "${BENCH_APPEND:-}" ] || bench_append=(-append "$BENCH_APPEND")

# bench_run DIR NAME PATTERN QEMU-ARGS...: console to DIR/NAME.log; fails
# loudly (and exits) unless QEMU ends well and printed a line matching PATTERN.
bench_run() {
	local dir=$1 name=$2 pattern=$3
	shift 3
	timeout -k 5 "$LIMIT" "$QEMU" "${machine[@]}" "$@" </dev/null 2>&1 | tr -d '\r' >"$dir/$name.log"
	local rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] || ! grep -q "$pattern" "$dir/$name.log"; then
		echo "!!! bench: the $name run failed (QEMU status $rc$([ "$rc" -eq 124 ] && echo ": timed out after ${LIMIT}s"))" >&2
		tail -n 15 "$dir/$name.log" | sed 's/^/    /' >&2
		exit 1
	fi
}

# bench_parse_vmms [LABEL=]VMM_BIN[@GUEST_BIN]...: the arrays labels, vmms
# and guests, checked before any run: a label names a log file and a
# column (a word, each once; VMM if none is given), and every VMM image
# must be there. @GUEST_BIN gives that run its own guest (lab03's PV build
# of the guest the others run); guests[i] is empty where none is given.
bench_parse_vmms() {
	labels=() vmms=() guests=()
	local a l v g seen=" "
	for a in "$@"; do
		case $a in
		*=*) l=${a%%=*} v=${a#*=} ;;
		*) l=VMM v=$a ;;
		esac
		g=""
		case $v in
		*@*) g=${v#*@} v=${v%%@*}
			[ -r "$g" ] || { echo "bench: no guest image '$g' (in '$a'; make it first)" >&2; return 1; } ;;
		esac
		case $l in
		"" | *[!A-Za-z0-9_-]*)
			echo "bench: label '$l' in '$a': letters, digits, '-' and '_' only (it names a log file)" >&2
			return 1 ;;
		esac
		case $seen in
		*" $l "*) echo "bench: label '$l' given twice (each run needs its own: LABEL=VMM_BIN)" >&2; return 1 ;;
		esac
		[ -r "$v" ] || { echo "bench: no VMM image '$v' (in '$a'; make it first)" >&2; return 1; }
		seen="$seen$l "
		labels+=("$l") vmms+=("$v") guests+=("$g")
	done
}
