/* unit_fakes_state.h: the fake machine's state (defined in unit_fakes.c; see unit_fakes.h). */
#ifndef LAB01_UNIT_FAKES_STATE_H
#define LAB01_UNIT_FAKES_STATE_H

#include <stddef.h>
#include <stdint.h>

extern uint64_t fake_time;		/* hw_time() */
extern uint64_t fake_timer;		/* last hw_set_timer() deadline */
extern unsigned fake_timer_sets;	/* hw_set_timer() calls */
extern unsigned fake_waits;		/* hw_wait_for_interrupt() calls */
extern char fake_out[4096];		/* bytes given to hw_console_putc() */
extern size_t fake_out_len;
extern const char *fake_in;		/* bytes hw_console_getc() returns */

/*
 * The unit tests' machine. In the runner it has the devices and guest RAM;
 * in the test only its UART state is kept in step. A vCPU a test passes is
 * attached to the runner's (the runner sets v->vm around each call).
 */
struct vm;
extern struct vm unit_vm;

#endif
