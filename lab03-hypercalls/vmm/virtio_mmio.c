/*
 * virtio_mmio.c: the virtio-mmio transport's registers (virtio 1.2, 4.2.2,
 * Version 2: the modern interface only; no legacy registers). Requests
 * are served at the QueueNotify write, and their completion raises the
 * device's PLIC source at once; the line stays high while InterruptStatus
 * is not 0 (4.2.3.4: the driver acknowledges with InterruptACK).
 *
 * The driver's mistakes get the spec's answers, never the VMM's crash: a
 * queue whose rings are not aligned guest RAM, or whose QueueNum is not a
 * power of 2 up to QueueNumMax, does not become ready and the device sets
 * DEVICE_NEEDS_RESET (2.1.2); so does a ring broken while in use (virtq.c);
 * a notify before DRIVER_OK or to a queue not ready is ignored (3.1.1: the
 * driver MUST NOT); FEATURES_OK is refused for features the device did not
 * offer or without VIRTIO_F_VERSION_1 (3.1.1, 6.1); registers are 32-bit
 * (4.2.2.2): other widths are access faults, as is configuration space
 * beyond the device's; reserved words read 0 and ignore writes.
 */
#include "gmem.h"
#include "virtio.h"

static struct virtq *cur_queue(struct virtio_dev *d)
{
	return d->type && d->queue_sel < d->type->nqueues ? &d->q[d->queue_sel] : 0;
}

static void line_update(struct virtio_dev *d)
{
	plic_set_level(d->plic, d->irq, d->interrupt_status != 0);
}

/* 2.4 Device Reset: back to the state after power-on. */
static void device_reset(struct virtio_dev *d)
{
	d->status = 0;
	d->interrupt_status = 0;
	d->device_features_sel = d->driver_features_sel = d->queue_sel = 0;
	d->driver_features = 0;
	for (unsigned i = 0; i < VIRTQ_MAX_QUEUES; i++)
		d->q[i] = (struct virtq){ 0 };
	if (d->type && d->type->reset)
		d->type->reset(d);
	line_update(d);
}

void virtio_dev_init(struct virtio_dev *d, const struct virtio_type *t, struct vm *vm,
		     struct plic *plic, unsigned irq, void *priv)
{
	*d = (struct virtio_dev){ .type = t, .vm = vm, .plic = plic, .irq = irq, .priv = priv };
	device_reset(d);
}

void virtio_needs_reset(struct virtio_dev *d)
{
	if (d->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return;
	d->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	/* 2.1.2: the device MUST send a device configuration change notification */
	d->interrupt_status |= VIRTIO_INT_CONFIG;
	line_update(d);
}

void virtio_used_notify(struct virtio_dev *d, struct virtq *q)
{
	uint16_t flags = 0;

	/* 2.7.7: the driver may ask for no interrupt (no VIRTIO_F_EVENT_IDX here) */
	if (gmem_read(d->vm, q->avail, &flags, sizeof flags) == 0 && (flags & VIRTQ_AVAIL_F_NO_INTERRUPT))
		return;
	d->interrupt_status |= VIRTIO_INT_USED_BUFFER;
	line_update(d);
}

/*
 * Serve queue qi: each chain the avail ring holds goes to the type's serve
 * and back to the used ring, then one used-buffer notification; a broken
 * ring, or a chain the device cannot answer, sets DEVICE_NEEDS_RESET.
 */
static void serve_queue(struct virtio_dev *d, unsigned qi)
{
	struct virtq *q = &d->q[qi];
	struct virtq_chain c;
	int r;
	bool used = false;

	while ((r = virtq_pop(d->vm, q, &c)) == 1) {
		uint32_t written = 0;
		if (d->type->serve(d, &c, &written) < 0 || virtq_push(d->vm, q, c.head, written) != 0) {
			r = -1;
			break;
		}
		used = true;
	}
	if (used)
		virtio_used_notify(d, q);
	if (r < 0)
		virtio_needs_reset(d);
}

static uint64_t offered(const struct virtio_dev *d)
{
	return d->type ? d->type->features | (1ULL << VIRTIO_F_VERSION_1) : 0;
}

/* 3.1.1 step 5: FEATURES_OK only for a subset of what was offered, VERSION_1 included */
static uint32_t status_write(struct virtio_dev *d, uint32_t val)
{
	if ((val & VIRTIO_STATUS_FEATURES_OK) && !(d->status & VIRTIO_STATUS_FEATURES_OK) &&
	    ((d->driver_features & ~offered(d)) || !(d->driver_features & (1ULL << VIRTIO_F_VERSION_1))))
		val &= ~VIRTIO_STATUS_FEATURES_OK;
	/* DEVICE_NEEDS_RESET is the device's (2.1) */
	return (val & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET) | (d->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
}

static void queue_notify(struct virtio_dev *d, uint32_t q)
{
	if (!d->type || q >= d->type->nqueues || !d->q[q].ready ||
	    !(d->status & VIRTIO_STATUS_DRIVER_OK) || (d->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET))
		return;
	if (d->type->served_queues & (1u << q))
		serve_queue(d, q);
}

static int virtio_read(const struct vm_device *dev, uint64_t off, unsigned width, uint64_t *val)
{
	struct virtio_dev *d = dev->state;
	struct virtq *q = cur_queue(d);

	if (off >= VIRTIO_MMIO_CONFIG) {
		/* device configuration space: fields of any width (4.2.2.2) */
		uint64_t v = 0, at = off - VIRTIO_MMIO_CONFIG;
		if (!d->type || at + width > d->type->config_len)
			return -1;
		for (unsigned i = 0; i < width; i++)
			v |= (uint64_t)d->type->config_byte(d, (unsigned)(at + i)) << (8 * i);
		*val = v;
		return 0;
	}
	if (width != 4 || (off & 3))
		return -1;
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:     *val = VIRTIO_MMIO_MAGIC; break;
	case VIRTIO_MMIO_VERSION:         *val = VIRTIO_MMIO_VERSION_MODERN; break;
	case VIRTIO_MMIO_DEVICE_ID:       *val = d->type ? d->type->device_id : VIRTIO_ID_NONE; break;
	case VIRTIO_MMIO_VENDOR_ID:       *val = VIRTIO_KIT_VENDOR; break;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		*val = d->device_features_sel < 2 ? (uint32_t)(offered(d) >> (32 * d->device_features_sel)) : 0;
		break;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:   *val = q ? VIRTQ_NUM_MAX : 0; break;
	case VIRTIO_MMIO_QUEUE_READY:     *val = q ? q->ready : 0; break;
	case VIRTIO_MMIO_INTERRUPT_STATUS: *val = d->interrupt_status; break;
	case VIRTIO_MMIO_STATUS:          *val = d->status; break;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:    *val = 0xffffffffu; break;	/* no shared memory region */
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH:   *val = 0xffffffffu; break;
	case VIRTIO_MMIO_CONFIG_GENERATION: *val = 0; break;	/* the configuration never changes */
	default:
		if (off < VIRTIO_MMIO_CONFIG)
			*val = 0;	/* write-only registers and reserved words read as 0 */
		break;
	}
	return 0;
}

static int virtio_write(const struct vm_device *dev, uint64_t off, unsigned width, uint64_t val64)
{
	struct virtio_dev *d = dev->state;
	struct virtq *q = cur_queue(d);
	uint32_t val = (uint32_t)val64;

	if (off >= VIRTIO_MMIO_CONFIG)
		return d->type && off - VIRTIO_MMIO_CONFIG + width <= d->type->config_len ? 0 : -1;
	if (width != 4 || (off & 3))
		return -1;
	/* the queue's configuration is frozen while it is ready (4.2.3.2) */
	bool q_cfg = q && !q->ready;
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: d->device_features_sel = val; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (d->driver_features_sel < 2 && !(d->status & VIRTIO_STATUS_FEATURES_OK)) {
			unsigned sh = 32 * d->driver_features_sel;
			d->driver_features = (d->driver_features & ~(0xffffffffULL << sh)) | ((uint64_t)val << sh);
		}
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: d->driver_features_sel = val; break;
	case VIRTIO_MMIO_QUEUE_SEL:       d->queue_sel = val; break;
	case VIRTIO_MMIO_QUEUE_NUM:       if (q_cfg) q->num = val; break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:  if (q_cfg) q->desc = (q->desc & ~0xffffffffULL) | val; break;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: if (q_cfg) q->desc = (q->desc & 0xffffffffULL) | (uint64_t)val << 32; break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:  if (q_cfg) q->avail = (q->avail & ~0xffffffffULL) | val; break;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: if (q_cfg) q->avail = (q->avail & 0xffffffffULL) | (uint64_t)val << 32; break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:  if (q_cfg) q->used = (q->used & ~0xffffffffULL) | val; break;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: if (q_cfg) q->used = (q->used & 0xffffffffULL) | (uint64_t)val << 32; break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (!q)
			break;
		if (!val) {
			q->ready = false;
		} else if (!q->ready) {
			if (virtq_ring_check(d->vm, q) != 0) {
				virtio_needs_reset(d);
				break;
			}
			q->ready = true;
			q->last_avail = q->used_idx = 0;
		}
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:    queue_notify(d, val); break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		d->interrupt_status &= ~val;
		line_update(d);
		break;
	case VIRTIO_MMIO_STATUS:
		if (val == 0)
			device_reset(d);	/* 4.2.3.1: writing 0 resets the device */
		else
			d->status = status_write(d, val);
		break;
	default:
		break;	/* read-only registers and reserved words ignore writes */
	}
	return 0;
}

const struct vm_device_ops virtio_mmio_ops = { virtio_read, virtio_write };
