/*
 * virtio_console.c: the console device (virtio 1.2, 5.3) without
 * features: port 0 only, receiveq (queue 0) and transmitq (queue 1), no
 * configuration space. What the driver puts on transmitq goes to the
 * VMM's console as the guest's UART output does (hw_console_putc), at most
 * CONSOLE_CHAIN_MAX bytes of a chain (a larger one is cut: a guest cannot
 * keep the VMM printing for ever; a chain with a buffer not wholly in
 * guest RAM is not printed at all); the buffer is used with 0 bytes written
 * (5.3.6.1). receiveq's buffers wait: the VMM's input goes to the UART.
 */
#include "hw.h"
#include "virtio.h"

#define CONSOLE_RECEIVEQ  0
#define CONSOLE_TRANSMITQ 1
#define CONSOLE_CHAIN_MAX 4096

/* One transmitq chain: its readable bytes to the console. */
static int transmit(struct virtio_dev *d, const struct virtq_chain *c, uint32_t *written)
{
	uint64_t n = c->rlen < CONSOLE_CHAIN_MAX ? c->rlen : CONSOLE_CHAIN_MAX;
	char buf[256];

	/* a buffer not wholly in guest RAM: nothing of the chain is printed */
	if (!virtq_chain_in_ram(d->vm, c))
		n = 0;
	for (uint64_t off = 0; off < n; off += sizeof buf) {
		uint64_t k = n - off < sizeof buf ? n - off : sizeof buf;
		if (virtq_chain_read(d->vm, c, off, buf, k) != 0)
			break;
		for (uint64_t i = 0; i < k; i++)
			hw_console_putc(buf[i]);
	}
	*written = 0;
	return 0;
}

const struct virtio_type virtio_console_type = {
	.device_id = VIRTIO_ID_CONSOLE,
	.nqueues = 2,
	.features = 0,
	.config_len = 0,
	.served_queues = 1u << CONSOLE_TRANSMITQ,
	.serve = transmit,
};
