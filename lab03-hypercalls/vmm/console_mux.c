/*
 * console_mux.c: one console, two guests (hw.h's weak hw_console_putc /
 * getc, which every guest output path calls: the 16550, SBI putchar and
 * DBCN, the PV console, the virtio console). With one VM both pass
 * straight through. With two, each guest's output is kept per VM and
 * written a whole line at a time behind its name, "[linux] ...": no
 * line of one guest is ever mixed into the other's, and a guest cannot
 * write another's prefix (its control characters, a CR not before a LF
 * and every byte that is not ASCII included, are shown as '?': nothing
 * moves the cursor back over a prefix). Input goes to one
 * guest at a time; CONSOLE_MUX_KEY (Ctrl-T) gives it to the next, with a
 * line saying which has it.
 *
 * A focused guest that waits for input with a partial line (a prompt)
 * gets it shown behind its prefix, the line left open: what it writes
 * next (the echo of what is typed, the rest of a line it was slow to
 * finish) continues that line, until anything else is written, which
 * ends the open line first.
 */
#include <stdio.h>

#include "hw.h"
#include "smp.h"

#define CONSOLE_MUX_KEY  0x14		/* Ctrl-T (Ctrl-A is QEMU's) */
#define CONSOLE_LINE_MAX 160		/* a longer line goes out in pieces */
#define CONSOLE_IN_MAX   64
/* a focused guest's partial line (a shell prompt) goes out once it waits for input this long */
#define CONSOLE_PROMPT_TICKS 1000000UL	/* 100 ms of time (10 MHz) */

struct mux_vm {
	struct vm *vm;
	char line[CONSOLE_LINE_MAX];
	unsigned len;
	bool cr;			/* a CR came last: dropped if a LF follows, else shown */
	uint64_t last;			/* time of its last output byte */
	unsigned char in[CONSOLE_IN_MAX];
	unsigned in_head, in_len;
};

static struct mux_vm vms[VMM_MAX_VMS];
static unsigned nvms, focus;
static struct mux_vm *open;	/* the guest whose line is on screen, not ended yet */

static void uart_puts(const char *s)
{
	while (*s)
		hw_uart_putc(*s++);
}

/* Something else is written: the open line ends first. */
static void end_open(void)
{
	if (open) {
		open = 0;
		uart_puts("\r\n");
	}
}

/* The VMM's own printf (lab01's weak one writes to the UART alone). */
void console_putc(char c)
{
	end_open();
	hw_uart_putc(c);
}

static void announce(void)
{
	end_open();
	uart_puts("vmm: console input goes to [");
	uart_puts(vms[focus].vm->name);
	uart_puts("] (Ctrl-T: the next guest)\r\n");
}

void console_mux_add(struct vm *vm)
{
	if (nvms < VMM_MAX_VMS && vm->name[0])
		vms[nvms++] = (struct mux_vm){ .vm = vm };
	if (nvms == 2)
		announce();
}

static struct mux_vm *mux_of(const struct vm *vm)
{
	for (unsigned i = 0; i < nvms; i++)
		if (vms[i].vm == vm)
			return &vms[i];
	return 0;
}

/* m's line behind its prefix (or after its open line); ended unless a prompt */
static void show(struct mux_vm *m, bool prompt)
{
	if (open != m) {
		end_open();
		hw_uart_putc('[');
		uart_puts(m->vm->name);
		uart_puts("] ");
	}
	for (unsigned i = 0; i < m->len; i++)
		hw_uart_putc(m->line[i]);
	m->len = 0;
	open = prompt ? m : 0;
	if (!prompt)
		uart_puts("\r\n");
}

static void flush(struct mux_vm *m)
{
	if (m->len || open == m)
		show(m, false);
}

void console_mux_stopped(struct vm *vm)
{
	struct mux_vm *m = mux_of(vm);

	if (m)
		flush(m);	/* its last line, even without a line end */
}

/*
 * One byte of the line; anything but printable ASCII and tab shows as '?':
 * C0 controls and DEL, and every byte from 0x80 (0x9b is the 8-bit CSI of
 * ECMA-48 8.3.16, which a terminal in an 8-bit mode obeys like ESC [).
 */
static void put(struct mux_vm *m, char c)
{
	if (c != '\t' && ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f))
		c = '?';
	m->line[m->len++] = c;
	if (m->len == CONSOLE_LINE_MAX)
		flush(m);
}

void hw_console_putc(char c)
{
	struct mux_vm *m = mux_of(vmm_current_vm());

	if (!m) {
		hw_uart_putc(c);
		return;
	}
	m->last = hw_time();
	if (m->cr && c != '\n')
		put(m, '\r');			/* a CR that ends no line: shown */
	m->cr = false;
	if (c == '\n') {
		if (m->len == 0 && open != m)
			m->line[m->len++] = ' ';	/* an empty line keeps its prefix */
		flush(m);
	} else if (c == '\r') {
		m->cr = true;			/* CR LF: the mux ends each line itself */
	} else {
		put(m, c);
	}
}

/* Every byte the real console has: to the focused guest, the key switches. */
static void route_input(void)
{
	int c;

	while ((c = hw_uart_getc()) >= 0) {
		if (c == CONSOLE_MUX_KEY) {
			focus = (focus + 1) % nvms;
			announce();
			continue;
		}
		struct mux_vm *f = &vms[focus];
		if (f->in_len < CONSOLE_IN_MAX)
			f->in[(f->in_head + f->in_len++) % CONSOLE_IN_MAX] = (unsigned char)c;
	}
}

int hw_console_getc(void)
{
	struct mux_vm *m = mux_of(vmm_current_vm());

	if (!m)
		return hw_uart_getc();
	route_input();
	if (m == &vms[focus] && m->len && hw_time() - m->last >= CONSOLE_PROMPT_TICKS)
		show(m, true);
	if (m->in_len == 0)
		return -1;
	int c = m->in[m->in_head];
	m->in_head = (m->in_head + 1) % CONSOLE_IN_MAX;
	m->in_len--;
	return c;
}
