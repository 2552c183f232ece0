/*
 * unit_fakes.c: the fake machine's state (unit_fakes.h), in the test and,
 * a second copy, in the student runner; student_rpc keeps the two in step
 * around every call, so a test sets and reads it as if the VMM ran in the
 * test process.
 */
#include <stdint.h>
#include <stddef.h>

#include "uart.h"
#include "vm.h"
#include "unit_fakes_state.h"
#include "unit_rpc.h"

uint64_t fake_time = 1000000;
uint64_t fake_timer = UINT64_MAX;
unsigned fake_timer_sets;
unsigned fake_waits;
char fake_out[4096];
size_t fake_out_len;
const char *fake_in = "";
struct vm unit_vm = { .uart = { .rx = -1 } };

void lab01_rpc_regions(bool runner, char *cursor_buf)
{
	/* the test's values win: its first call sends them whole */
	unsigned f = runner ? 0 : RPC_SEND_ALL;
	rpc_region(R_FAKE_TIME, &fake_time, sizeof fake_time, NULL, f);
	rpc_region(R_FAKE_TIMER, &fake_timer, sizeof fake_timer, NULL, f);
	rpc_region(R_FAKE_TIMER_SETS, &fake_timer_sets, sizeof fake_timer_sets, NULL, f);
	rpc_region(R_FAKE_WAITS, &fake_waits, sizeof fake_waits, NULL, f);
	rpc_region(R_FAKE_OUT, fake_out, sizeof fake_out, NULL, f);
	rpc_region(R_FAKE_OUT_LEN, &fake_out_len, sizeof fake_out_len, NULL, f);
	rpc_cursor(R_FAKE_IN, &fake_in, cursor_buf);
	rpc_region(R_VM_UART, &unit_vm.uart, sizeof unit_vm.uart, NULL, f);
}
