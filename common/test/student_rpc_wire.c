/* student_rpc_wire.c: records and region sync, both sides (student_rpc_wire.h). */
#include <stdlib.h>
#include <string.h>

#include "student_rpc_wire.h"

struct rpc_region_slot rpc_slots[RPC_MAX_REGIONS];

void rpc_region(unsigned id, void *addr, size_t size, void *shadow, unsigned flags)
{
	if (id >= RPC_MAX_REGIONS || size > RPC_REGION_MAX)
		abort();	/* a kit bug, not a student's */
	struct rpc_region_slot *s = &rpc_slots[id];
	unsigned char *old = s->used && !s->cursor && s->size == size ? s->shadow : NULL;
	if (s->used && !s->cursor && !old && !shadow)
		free(s->shadow);
	*s = (struct rpc_region_slot){ .used = true, .addr = addr, .size = size };
	s->shadow = shadow ? shadow : old ? old : malloc(size ? size : 1);
	if (!s->shadow)
		abort();
	/* what the other side holds: zeros, these bytes (one program's
	 * initializer), or unknown (send it all) */
	if (flags & RPC_OTHER_ZERO)
		memset(s->shadow, 0, size);
	else
		memcpy(s->shadow, addr, size);
	s->shadow_valid = !(flags & RPC_SEND_ALL);
}

void rpc_cursor(unsigned id, const char **cursor, char *buf)
{
	if (id >= RPC_MAX_REGIONS)
		abort();
	rpc_slots[id] = (struct rpc_region_slot){ .used = true, .cursor = true, .cur = cursor, .buf = buf };
	if (buf) {
		buf[0] = 0;
		*cursor = buf;
		rpc_slots[id].sent = buf;
	}
}

void rpc_buf_reset(struct rpc_buf *b)
{
	b->len = sizeof(struct rpc_hdr);
	if (b->cap < b->len && !b->fixed) {
		b->p = realloc(b->p, b->cap = 1u << 16);
		if (!b->p)
			abort();
	}
}

int rpc_put(struct rpc_buf *b, uint32_t tag, uint32_t a, uint32_t bb, const void *data, size_t len)
{
	size_t padded = (len + 7) & ~(size_t)7;
	size_t need = b->len + sizeof(struct rpc_rec) + padded;
	if (len > RPC_MSG_MAX || need > RPC_MSG_MAX)
		return -1;
	if (need > b->cap) {
		if (b->fixed)
			return -1;
		size_t cap = b->cap;
		while (cap < need)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	struct rpc_rec r = { tag, a, bb, (uint32_t)len };
	memcpy(b->p + b->len, &r, sizeof r);
	if (len)
		memcpy(b->p + b->len + sizeof r, data, len);
	memset(b->p + b->len + sizeof r + len, 0, padded - len);
	b->len = need;
	return 0;
}

int rpc_next(const unsigned char *body, size_t len, size_t *pos, struct rpc_rec *r, const unsigned char **data)
{
	if (*pos == len)
		return 0;
	if (len - *pos < sizeof *r)
		return -1;
	memcpy(r, body + *pos, sizeof *r);
	size_t padded = ((size_t)r->len + 7) & ~(size_t)7;
	if (padded > len - *pos - sizeof *r)
		return -1;
	*data = body + *pos + sizeof *r;
	*pos += sizeof *r + padded;
	return 1;
}

int rpc_sync_out(struct rpc_buf *b, bool runner)
{
	for (unsigned id = 0; id < RPC_MAX_REGIONS; id++) {
		struct rpc_region_slot *s = &rpc_slots[id];
		if (!s->used)
			continue;
		if (s->cursor) {
			const char *c = *s->cur;
			if (c == s->sent)
				continue;
			if (runner) {
				/* progress through the string the test sent */
				if (c < s->sent || c > s->buf + strnlen(s->buf, RPC_CURSOR_MAX))
					continue;	/* pointed elsewhere: not the test's string */
				if (rpc_put(b, RPC_T_CURSOR_ADV, id, (uint32_t)(c - s->sent), NULL, 0))
					return -1;
			} else {
				size_t n = c ? strnlen(c, RPC_CURSOR_MAX - 1) : 0;
				if (rpc_put(b, RPC_T_CURSOR_SET, id, 0, c, n))
					return -1;
				s->sent_len = n;
			}
			s->sent = c;
			continue;
		}
		for (size_t off = 0; off < s->size; off += RPC_CHUNK) {
			size_t n = s->size - off < RPC_CHUNK ? s->size - off : RPC_CHUNK;
			if (s->shadow_valid && !memcmp(s->addr + off, s->shadow + off, n))
				continue;
			if (rpc_put(b, RPC_T_SYNC, id, (uint32_t)off, s->addr + off, n))
				return -1;
			memcpy(s->shadow + off, s->addr + off, n);
		}
		s->shadow_valid = true;
	}
	return 0;
}

int rpc_sync_in(const struct rpc_rec *r, const unsigned char *data, bool runner)
{
	if (r->tag != RPC_T_SYNC && r->tag != RPC_T_CURSOR_SET && r->tag != RPC_T_CURSOR_ADV)
		return 0;
	if (r->a >= RPC_MAX_REGIONS || !rpc_slots[r->a].used)
		return -1;
	struct rpc_region_slot *s = &rpc_slots[r->a];
	if (r->tag == RPC_T_SYNC) {
		if (s->cursor || r->b > s->size || r->len > s->size - r->b)
			return -1;
		memcpy(s->addr + r->b, data, r->len);
		memcpy(s->shadow + r->b, data, r->len);
		return 1;
	}
	if (!s->cursor)
		return -1;
	if (r->tag == RPC_T_CURSOR_SET) {
		if (!runner || r->len >= RPC_CURSOR_MAX)
			return -1;
		memcpy(s->buf, data, r->len);
		s->buf[r->len] = 0;
		*s->cur = s->sent = s->buf;
		return 1;
	}
	/* CURSOR_ADV: the runner consumed b bytes of what the test sent */
	if (runner || r->len || r->b > s->sent_len || !s->sent)
		return -1;
	*s->cur = s->sent = s->sent + r->b;
	s->sent_len -= r->b;
	return 1;
}
