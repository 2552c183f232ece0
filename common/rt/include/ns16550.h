/*
 * ns16550.h: the NS16550A UART's registers, as the kit's hardware (QEMU
 * virt) has it: byte-wide, reg-shift 0, one register per byte offset.
 * Offsets and bits from the PC16550D datasheet, section 8 ("Registers"),
 * its register summary table: the DLAB bit of LCR (bit 7) turns offsets 0
 * and 1 into the divisor latch. Used by the guests that drive the UART
 * (common/guest/uart.c) and by the VMM that models it (lab01 vmm/uart.c).
 */
#ifndef KIT_NS16550_H
#define KIT_NS16550_H

/* Register offsets */
#define UART_RBR 0	/* receive buffer: read, DLAB = 0 */
#define UART_THR 0	/* transmit holding: write, DLAB = 0 */
#define UART_DLL 0	/* divisor latch, low byte: DLAB = 1 */
#define UART_IER 1	/* interrupt enable: DLAB = 0 */
#define UART_DLM 1	/* divisor latch, high byte: DLAB = 1 */
#define UART_IIR 2	/* interrupt identification: read */
#define UART_FCR 2	/* FIFO control: write */
#define UART_LCR 3	/* line control */
#define UART_MCR 4	/* modem control */
#define UART_LSR 5	/* line status */
#define UART_MSR 6	/* modem status */
#define UART_SCR 7	/* scratch */

/* Bits */
#define UART_LCR_DLAB 0x80		/* divisor latch access */
#define UART_LSR_DR   0x01		/* data ready */
#define UART_LSR_THRE 0x20		/* transmit holding register empty */
#define UART_LSR_TEMT 0x40		/* transmitter empty */
#define UART_IER_RDI  0x01		/* enable: received data available */
#define UART_IER_THRI 0x02		/* enable: transmit holding register empty */
#define UART_IIR_NONE 0x01		/* no interrupt pending */
#define UART_IIR_ID   0x0F		/* bits 3:0: which interrupt (priority order) */
#define UART_IIR_THRI 0x02		/* transmit holding register empty */
#define UART_IIR_RDI  0x04		/* received data available */
#define UART_IIR_FIFO 0xC0		/* FIFOs enabled */
#define UART_FCR_FIFO_ENABLE 0x01
#define UART_MCR_LOOP 0x10		/* loopback */

#endif
