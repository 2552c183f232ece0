/*
 * unit_uart.c: the guest's NS16550A (registers as in the TI PC16550D
 * datasheet, byte-wide as on QEMU virt) and the MMIO path that reaches it
 * by trap-and-emulate (handout task 9). An access outside every device is
 * an access fault (priv 1.12, 3.6 PMAs: cause 5 load, 7 store, stval = address).
 */
#include "unit_fakes.h"
#include "gmem.h"
#include "vm.h"
#include "mmio.h"
#include "uart.h"

TestSuite(uart, .init = fake_machine_reset, .timeout = 10);
TestSuite(mmio, .init = fake_machine_reset, .timeout = 10);

#define FIX_UART "fix uart_read()/uart_write() in vmm/uart.c, handout task 9"
#define FIX_MMIO "fix vcpu_mmio() in vmm/mmio.c, handout task 9"

static struct uart16550 u;

KIT_TEST(uart, reset_state, .timeout = 10,
	 .description = "after reset IER, LCR, MCR read 0, IIR reads 'no interrupt' and LSR reads 0x60 (transmitter empty)")
{
	uart_reset(&u);
	static const struct { unsigned off; uint8_t mask, want; const char *name; } t[] = {
		{ UART_IER, 0xff, 0x00, "IER" },
		{ UART_LCR, 0xff, 0x00, "LCR" },
		{ UART_MCR, 0xff, 0x00, "MCR" },
		{ UART_IIR, 0x0f, UART_IIR_NONE, "IIR bits 3:0" },
		{ UART_LSR, 0xff, UART_LSR_THRE | UART_LSR_TEMT, "LSR" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint8_t got = uart_read(&u, t[i].off);
		cr_assert_eq(got & t[i].mask, t[i].want, "%s (offset %u) after reset with no input: "
			     "expected %#x, got %#x (PC16550D table 'reset'); " FIX_UART, t[i].name,
			     t[i].off, t[i].want, got & t[i].mask);
	}
}

KIT_TEST(uart, thr_goes_to_console, .timeout = 10,
	 .description = "each byte written to THR reaches the real console once, in order, and the transmitter stays ready")
{
	uart_reset(&u);
	const char *msg = "hi\n";
	for (const char *p = msg; *p; p++)
		uart_write(&u, UART_THR, (uint8_t)*p);
	cr_assert(fake_out_len == 3 && memcmp(fake_out, msg, 3) == 0, "wrote 'h', 'i', '\\n' to THR: "
		  "expected them on the console (hw_console_putc), got %zu bytes \"%s\"; " FIX_UART,
		  fake_out_len, fake_out);
	uint8_t lsr = uart_read(&u, UART_LSR);
	cr_assert_eq(lsr & (UART_LSR_THRE | UART_LSR_TEMT), UART_LSR_THRE | UART_LSR_TEMT,
		     "LSR after writes: expected THRE and TEMT (0x60) set, a guest polls them before "
		     "every byte; got %#x; " FIX_UART, lsr);
}

KIT_TEST(uart, rbr_reads_console, .timeout = 10,
	 .description = "LSR.DR is set while input waits, RBR returns the bytes in order, and reading LSR consumes nothing")
{
	uart_reset(&u);
	fake_in = "ab";
	uint8_t lsr = uart_read(&u, UART_LSR);
	uint8_t lsr2 = uart_read(&u, UART_LSR);
	cr_assert((lsr & UART_LSR_DR) && (lsr2 & UART_LSR_DR), "input \"ab\" waiting: expected LSR.DR "
		  "(bit 0) set on two reads, got %#x then %#x; " FIX_UART, lsr, lsr2);
	uint8_t c1 = uart_read(&u, UART_RBR);
	uint8_t c2 = uart_read(&u, UART_RBR);
	cr_assert(c1 == 'a' && c2 == 'b', "reading RBR twice with \"ab\" waiting: expected 'a' then "
		  "'b', got %#x then %#x (LSR reads must not consume a byte); " FIX_UART, c1, c2);
	lsr = uart_read(&u, UART_LSR);
	cr_assert_eq(lsr & UART_LSR_DR, 0, "all input read: expected LSR.DR clear, LSR %#x; "
		     FIX_UART, lsr);
}

KIT_TEST(uart, dlab_selects_divisor_latch, .timeout = 10,
	 .description = "with LCR.DLAB = 1 offsets 0 and 1 are the divisor latch, not THR and IER")
{
	uart_reset(&u);
	uart_write(&u, UART_IER, 0x00);
	uart_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
	uart_write(&u, UART_DLL, 0x01);
	uart_write(&u, UART_DLM, 0x12);
	cr_assert_eq(fake_out_len, 0, "writing DLL with DLAB = 1 sent %zu bytes to the console: "
		     "offset 0 is the divisor latch then; " FIX_UART, fake_out_len);
	uint8_t dll = uart_read(&u, UART_DLL), dlm = uart_read(&u, UART_DLM);
	uint8_t lcr = uart_read(&u, UART_LCR);
	cr_assert(dll == 0x01 && dlm == 0x12 && lcr == 0x83, "DLAB = 1: expected DLL 0x01, DLM 0x12, "
		  "LCR 0x83 read back, got %#x %#x %#x; " FIX_UART, dll, dlm, lcr);
	uart_write(&u, UART_LCR, 0x03);
	uint8_t ier = uart_read(&u, UART_IER);
	cr_assert_eq(ier, 0, "DLAB back to 0: IER must still be 0 (the 0x12 went to DLM), got %#x; "
		     FIX_UART, ier);
	uart_write(&u, UART_THR, 'x');
	cr_assert(fake_out_len == 1 && fake_out[0] == 'x', "DLAB = 0, wrote 'x' to offset 0: expected "
		  "it on the console, got \"%s\"; " FIX_UART, fake_out);
	uart_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
	dll = uart_read(&u, UART_DLL);
	cr_assert_eq(dll, 0x01, "DLAB = 1 again: expected DLL still 0x01 (writing THR must not change "
		     "it), got %#x; " FIX_UART, dll);
}

KIT_TEST(uart, scratch_ier_mcr_bits, .timeout = 10,
	 .description = "SCR keeps any byte, IER bits 7:4 and MCR bits 7:5 read 0, IIR reports no interrupt")
{
	uart_reset(&u);
	uart_write(&u, UART_SCR, 0x5a);
	uint8_t got = uart_read(&u, UART_SCR);
	cr_assert_eq(got, 0x5a, "SCR: wrote 0x5a, read %#x; " FIX_UART, got);
	uart_write(&u, UART_IER, 0xff);
	got = uart_read(&u, UART_IER);
	cr_assert_eq(got, 0x0f, "IER: wrote 0xff, expected 0x0f (bits 7:4 are always 0), got %#x; "
		     FIX_UART, got);
	uart_write(&u, UART_MCR, 0xff);
	got = uart_read(&u, UART_MCR);
	cr_assert_eq(got, 0x1f, "MCR: wrote 0xff, expected 0x1f (bits 7:5 are always 0), got %#x; "
		     FIX_UART, got);
	uart_write(&u, UART_MCR, 0);
	got = uart_read(&u, UART_IIR);
	cr_assert_eq(got & 0x0f, UART_IIR_NONE, "IIR with the guest's UART raising no interrupt: "
		     "expected bits 3:0 = 0001 (none pending), got %#x; " FIX_UART, got);
}

/* ---- MMIO: the guest's loads and stores that trap to the device model ---- */

#define RAM_GPA VIRT_DRAM_BASE
#define PC0     0x80200100UL
#define TVEC0   0x80100000UL
static uint8_t ram[4 << 20] __attribute__((aligned(4096)));
static struct vcpu vc;

static void mmio_setup(uint32_t raw, unsigned len)
{
	gmem_init(&unit_vm, ram, RAM_GPA, sizeof ram);
	memset(ram + (PC0 - RAM_GPA), 0, 8);
	memcpy(ram + (PC0 - RAM_GPA), &raw, len);	/* little-endian host, as RISC-V */
	fake_vcpu(&vc);
	vc.pc = PC0;
	vc.stvec = TVEC0;
	uart_reset(&unit_vm.uart);
}

KIT_TEST(mmio, store_reaches_uart, .timeout = 10,
	 .description = "a guest sb to THR is emulated: the byte reaches the console and pc advances by 4")
{
	mmio_setup(0x00530023, 4);	/* sb t0,0(t1) */
	vc.x[T0] = 'Q';
	vc.x[T1] = UART_GPA;
	int rc = vcpu_mmio(&vc, UART_GPA, true);
	cr_assert(rc == 0 && fake_out_len == 1 && fake_out[0] == 'Q' && vc.pc == PC0 + 4,
		  "sb t0,0(t1) with t0 'Q', t1 = UART: expected rc 0, 'Q' on the console, pc %#lx; "
		  "got rc %d, \"%s\", pc %#lx; " FIX_MMIO, (unsigned long)(PC0 + 4), rc, fake_out,
		  (unsigned long)vc.pc);
}

KIT_TEST(mmio, load_extends_by_width, .timeout = 10,
	 .description = "a guest lb from the UART sign-extends into rd, lbu zero-extends, and pc advances by 4")
{
	mmio_setup(0x00330503, 4);	/* lb a0,3(t1) */
	uart_write(&unit_vm.uart, UART_LCR, 0x83);
	vc.x[T1] = UART_GPA;
	int rc = vcpu_mmio(&vc, UART_GPA + UART_LCR, false);
	cr_assert(rc == 0 && vc.x[A0] == 0xffffffffffffff83UL && vc.pc == PC0 + 4, "lb a0,3(t1) on "
		  "LCR = 0x83: expected rc 0, a0 0xffffffffffffff83, pc %#lx; got rc %d a0 %#lx pc "
		  "%#lx; " FIX_MMIO, (unsigned long)(PC0 + 4), rc, (unsigned long)vc.x[A0],
		  (unsigned long)vc.pc);
	memcpy(ram + (PC0 + 4 - RAM_GPA), &(uint32_t){ 0x00334503 }, 4);	/* lbu a0,3(t1) */
	rc = vcpu_mmio(&vc, UART_GPA + UART_LCR, false);
	cr_assert(rc == 0 && vc.x[A0] == 0x83 && vc.pc == PC0 + 8, "lbu a0,3(t1) on LCR = 0x83: "
		  "expected rc 0, a0 0x83, pc %#lx; got rc %d a0 %#lx pc %#lx; " FIX_MMIO,
		  (unsigned long)(PC0 + 8), rc, (unsigned long)vc.x[A0], (unsigned long)vc.pc);
}

KIT_TEST(mmio, compressed_access_advances_2, .timeout = 10,
	 .description = "a compressed guest store to the UART is emulated and advances pc by 2")
{
	mmio_setup(0xc290, 2);	/* c.sw a2,0(a3) */
	vc.x[A2] = 'C';
	vc.x[A3] = UART_GPA;
	int rc = vcpu_mmio(&vc, UART_GPA, true);
	cr_assert(rc == 0 && vc.pc == PC0 + 2, "c.sw a2,0(a3) to THR: expected rc 0 and pc %#lx (a "
		  "2-byte instruction), got rc %d pc %#lx; " FIX_MMIO, (unsigned long)(PC0 + 2), rc,
		  (unsigned long)vc.pc);
	cr_assert(fake_out_len == 1 && fake_out[0] == 'C', "c.sw a2,0(a3) with a2 = 'C' to THR: "
		  "expected 'C' on the console, got \"%s\"; " FIX_MMIO, fake_out);
}

KIT_TEST(mmio, unmapped_address_faults, .timeout = 10,
	 .description = "a guest access to an address with no RAM and no device gets an access fault with stval = the address")
{
	static const struct { uint64_t gpa; bool store; uint32_t raw; uint64_t cause; } t[] = {
		{ 0x20000000UL, false, 0x00330503, CAUSE_LOAD_ACCESS },	/* lb a0,3(t1) */
		{ 0x0, true, 0x00530023, CAUSE_STORE_ACCESS },		/* sb t0,0(t1) */
		{ 0x02000000UL, true, 0x00530023, CAUSE_STORE_ACCESS },	/* the real CLINT */
		{ 0x0c000000UL, false, 0x00330503, CAUSE_LOAD_ACCESS },	/* the real PLIC */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		mmio_setup(t[i].raw, 4);
		vc.mode = VMODE_U;
		int rc = vcpu_mmio(&vc, t[i].gpa, t[i].store);
		cr_assert(rc != 0 && vc.scause == t[i].cause && vc.stval == t[i].gpa && vc.sepc == PC0 &&
			  vc.mode == VMODE_S && vc.pc == TVEC0, "%s at %#lx (nothing there for the "
			  "guest): expected rc != 0 and the guest entered with scause %lu, stval %#lx, "
			  "sepc %#lx; got rc %d scause %lu stval %#lx sepc %#lx pc %#lx; " FIX_MMIO,
			  t[i].store ? "store" : "load", (unsigned long)t[i].gpa,
			  (unsigned long)t[i].cause, (unsigned long)t[i].gpa, (unsigned long)PC0, rc,
			  (unsigned long)vc.scause, (unsigned long)vc.stval, (unsigned long)vc.sepc,
			  (unsigned long)vc.pc);
	}
}

KIT_TEST(mmio, beyond_the_eight_registers_faults, .timeout = 10,
	 .description = "the UART's registers end at offset 7: an access there works, one that reaches past it, or an AMO, gets an access fault")
{
	/* QEMU virt's NS16550A decodes offsets 0..7 only; the 0x100-byte window
	 * around it is empty, and a device does not do AMOs (priv 3.6.3) */
	mmio_setup(0x00730503, 4);	/* lb a0,7(t1): SCR, the last register */
	uart_write(&unit_vm.uart, UART_SCR, 0x42);
	vc.x[T1] = UART_GPA;
	int rc0 = vcpu_mmio(&vc, UART_GPA + UART_SCR, false);
	cr_assert(rc0 == 0 && vc.x[A0] == 0x42 && vc.pc == PC0 + 4, "lb a0,7(t1) on SCR = 0x42: "
		  "expected rc 0, a0 0x42, pc %#lx; got rc %d a0 %#lx pc %#lx; " FIX_MMIO,
		  (unsigned long)(PC0 + 4), rc0, (unsigned long)vc.x[A0], (unsigned long)vc.pc);
	/* store: the trap's kind as vcpu_mmio gets it; an AMO's fault is
	 * Store/AMO (table 3.6) even when the hart trapped it as a load, as
	 * QEMU 7.2 does (its faults on an AMO are a load's) */
	static const struct { uint64_t off; bool store, store_fault; uint32_t raw; const char *insn; } t[] = {
		{ 8, false, false, 0x00030503, "lb a0,0(t1)" },
		{ 0xff, true, true, 0x00530023, "sb t0,0(t1)" },
		{ 6, false, false, 0x00032503, "lw a0,0(t1)" },
		{ 4, true, true, 0x00533023, "sd t0,0(t1)" },
		{ 0, true, true, 0x0853252f, "amoswap.w a0,t0,(t1)" },
		{ 0, false, true, 0x0853252f, "amoswap.w a0,t0,(t1) trapped as a load" },
		{ 0, false, false, 0x1003352f, "lr.d a0,(t1)" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint64_t gpa = UART_GPA + t[i].off;
		uint64_t cause = t[i].store_fault ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;
		mmio_setup(t[i].raw, 4);
		vc.x[T1] = gpa;
		vc.x[A0] = 0x5a5a;
		int rc = vcpu_mmio(&vc, gpa, t[i].store);
		cr_assert(rc != 0 && vc.scause == cause && vc.stval == gpa && vc.sepc == PC0 &&
			  vc.pc == TVEC0 && vc.x[A0] == 0x5a5a && fake_out_len == 0,
			  "%s at UART + %#lx: expected an access fault (scause %lu, stval %#lx, sepc "
			  "%#lx, a0 and the console untouched); got rc %d scause %lu stval %#lx sepc "
			  "%#lx a0 %#lx, %zu console bytes; " FIX_MMIO, t[i].insn,
			  (unsigned long)t[i].off, (unsigned long)cause, (unsigned long)gpa,
			  (unsigned long)PC0, rc, (unsigned long)vc.scause, (unsigned long)vc.stval,
			  (unsigned long)vc.sepc, (unsigned long)vc.x[A0], fake_out_len);
	}
}
