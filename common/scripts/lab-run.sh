#!/bin/bash
# lab-run.sh LAB VMM_BIN SELFTEST_BIN: the `make run` step of a lab.
# 1. Boots the VMM with the self-test guest (fresh kit.token), types the
#    line its uart_in check asks for, and prints the guest's output, then
#    the VMM's shutdown report (its "vmm: " lines: VM exits by cause, exits
#    per guest system call).
# 2. Boots stock U-Boot under the VMM and types `version` and `reset`.
# Non-interactive; every QEMU run under `timeout`. Exit status 0 only if
# both runs ended as they should.
set -u
lab=$1 vmm=$2 guest=$3
QEMU=${QEMU:-qemu-system-riscv64}
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
LIMIT=${RUN_TIMEOUT:-180}
machine=(-M virt -m 256M -smp 1 -bios default -display none -serial stdio -monitor none -no-reboot)
out=$(dirname "$vmm")/run
mkdir -p "$out"
fifo=$(mktemp -d)
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$fifo"' EXIT

fail() {
	echo "!!! $lab-run FAILED: $*" >&2
	exit 1
}

# start NAME QEMU-ARGS...: QEMU in the background on two FIFOs; its console
# goes to $log as it is read.
start() {
	log=$out/$1.log
	shift
	rm -f "$fifo/in" "$fifo/out"
	mkfifo "$fifo/in" "$fifo/out"
	timeout -k 5 "$LIMIT" "$QEMU" "${machine[@]}" "$@" <"$fifo/in" >"$fifo/out" 2>&1 &
	qpid=$!
	exec {qin}>"$fifo/in" {qout}<"$fifo/out"
	: >"$log"
}

# expect SECONDS TEXT...: read the console until one TEXT appears
# ($matched = it); 1 on timeout or when QEMU exits first.
expect() {
	local end=$((SECONDS + $1)) seen="" c t
	shift
	while [ "$SECONDS" -lt "$end" ]; do
		if IFS= read -r -d '' -N 1 -t 1 c <&"$qout"; then
			[ "$c" = $'\r' ] && continue
			printf '%s' "$c" >>"$log"
			seen+=$c
			for t in "$@"; do
				[[ $seen == *"$t"* ]] && { matched=$t; return 0; }
			done
			[ ${#seen} -gt 4096 ] && seen=${seen: -2048}
		elif [ $? -le 128 ]; then
			return 1 # end of file: QEMU exited
		fi
	done
	return 1
}

# type_text TEXT: one byte every 5 ms, as a person on a polled UART
type_text() {
	local s=$1 i
	for ((i = 0; i < ${#s}; i++)); do
		printf '%s' "${s:i:1}" >&"$qin" 2>/dev/null || return 1
		sleep 0.005
	done
}

# finish SECONDS: collect the rest of the console until QEMU exits;
# $status = its exit status (124: still running, killed).
finish() {
	local end=$((SECONDS + $1)) rest
	# read keeps what it got on a timeout or at end of file
	while kill -0 "$qpid" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do
		rest=
		IFS= read -r -t 1 -d '' -N 4096 rest <&"$qout"
		printf '%s' "${rest//$'\r'/}" >>"$log"
	done
	rest=
	IFS= read -r -t 1 -d '' -N 1048576 rest <&"$qout"
	printf '%s' "${rest//$'\r'/}" >>"$log"
	if kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null
		wait "$qpid" 2>/dev/null
		status=124
	else
		wait "$qpid"
		status=$?
	fi
	qpid=
	exec {qin}>&- {qout}<&-
}

# after_banner FILE: the console after OpenSBI's banner (its MEDELEG line)
after_banner() {
	awk 'seen { print } /^Boot HART MEDELEG/ { seen = 1 }' "$1"
}

# uart_in_line TOKEN: the line the selftest's uart_in check waits for:
# "kit-" and the low 32 bits of kit_check_digest(token, "uart_in_line")
# (lab01-trap-emulate/guest/selftest/checks.h, common/rt/include/kitcheck.h:
# 64-bit FNV-1a over each string and its NUL; bash arithmetic wraps mod 2^64).
uart_in_line() {
	local h=$((0xcbf29ce484222325)) s i c
	for s in "$1" uart_in_line; do
		for ((i = 0; i < ${#s}; i++)); do
			printf -v c '%d' "'${s:i:1}"
			h=$(((h ^ c) * 0x100000001b3))
		done
		h=$((h * 0x100000001b3))
	done
	printf 'kit-%08x' $((h & 0xffffffff))
}

# --- 1. the self-test guest ---------------------------------------------
token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "== $lab: $guest under $vmm (kit.token=$token)"
start selftest -kernel "$vmm" -initrd "$guest" -append "kit.token=$token"
ok=1
while expect "$LIMIT" "KIT INPUT ready" "KIT DONE "; do
	[ "$matched" = "KIT DONE " ] && break
	type_text "$(uart_in_line "$token")"$'\r' # the uart_in check reads a line
done || ok=0
finish 30
body=$(after_banner "$log")
[ -n "$body" ] || body=$(cat "$log")
echo "-- guest output"
grep -v '^vmm: ' <<<"$body" | sed 's/^/   /'
echo "-- VMM report (exits by cause, exits per system call)"
grep '^vmm: ' <<<"$body" | sed 's/^/   /'
echo "-- (full console: $log)"
[ "$ok" = 1 ] || fail "the guest never printed 'KIT DONE' (see the last lines above)"
if [ "$status" -eq 124 ]; then
	fail "QEMU still ran 30s after 'KIT DONE': the guest's shutdown (SBI SRST) did not end it"
elif [ "$status" -ne 0 ]; then
	fail "QEMU exited with status $status (a guest or VMM failure through the test finisher?)"
fi
grep -q '^vmm: ' <<<"$body" || fail "the VMM printed no 'vmm: ' report at shutdown"
grep -q '^KIT DONE [0-9]* 0$' <<<"$body" || fail "the self-test guest reported failed checks (FAIL lines above)"

# --- 2. U-Boot, typed at ------------------------------------------------
[ -r "$UBOOT" ] || { echo "== (no $UBOOT: install u-boot-qemu for the U-Boot run)"; exit 0; }
echo
echo "== $lab: stock U-Boot under $vmm: typing 'version' then 'reset'"
start uboot -kernel "$vmm" -initrd "$UBOOT"
ufail() {
	finish 1
	echo "-- U-Boot console"
	tail -n 30 "$log" | sed 's/^/   /'
	fail "U-Boot: $*"
}
expect 60 "Hit any key" || ufail "no autoboot countdown within 60s (does U-Boot start? check the UART emulation)"
type_text $'\n'
expect 20 "=> " || ufail "no '=> ' prompt after a key press (is UART input (RBR, LSR.DR) emulated?)"
type_text $'version\n'
expect 20 "=> " || ufail "'version' did not return to the prompt"
type_text $'reset\n'
expect 20 "resetting" || ufail "'reset' printed nothing"
finish 20
echo "-- U-Boot console"
after_banner "$log" | sed 's/^/   /'
echo
[ "$status" -ne 124 ] || fail "QEMU still ran 20s after U-Boot's 'reset' (SBI SRST system_reset not handled?)"
[ "$status" -eq 0 ] || fail "QEMU exited with status $status after U-Boot's 'reset'"
echo "== $lab-run: the self-test guest and U-Boot both ran to completion"
