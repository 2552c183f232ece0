/*
 * student_rpc_wire.h: the messages between a test and its student runner
 * (student_rpc.h), shared by both sides. Private to student_rpc*.c.
 *
 * A message is a header { magic, length } and records; a record is
 * { tag, a, b, len } and len bytes of data padded to 8. Every field read
 * from the other side is checked against what this side registered.
 */
#ifndef KIT_STUDENT_RPC_WIRE_H
#define KIT_STUDENT_RPC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "student_rpc.h"

#define RPC_MAGIC_REQ 0x5152504bu	/* "KPRQ" */
#define RPC_MAGIC_ANS 0x4152504bu	/* "KPRA" */
#define RPC_CHUNK 4096u

enum rpc_tag {
	RPC_T_CALL = 1,		/* a = fn, b = nargs */
	RPC_T_SCALAR,		/* a = arg index, data = 8 bytes */
	RPC_T_NULL,		/* a = arg index */
	RPC_T_INLINE,		/* a = arg index, data = the object (answer: its new bytes) */
	RPC_T_INREGION,		/* a = arg index, b = region, data = 8-byte offset, 8-byte size */
	RPC_T_SYNC,		/* a = region, b = offset, data = bytes */
	RPC_T_CURSOR_SET,	/* a = region, data = the string (no NUL) */
	RPC_T_CURSOR_ADV,	/* a = region, b = bytes consumed */
	RPC_T_RET,		/* data = the return value */
	RPC_T_FAIL,		/* data = a message */
};

struct rpc_hdr {
	uint32_t magic, len;	/* len: bytes after the header */
};

struct rpc_rec {
	uint32_t tag, a, b, len;
};

struct rpc_buf {
	unsigned char *p;
	size_t len, cap;
	bool fixed;		/* runner side: static storage, never grows */
};

struct rpc_region_slot {
	bool used, cursor;
	unsigned char *addr;
	size_t size;
	unsigned char *shadow;	/* what the other side holds */
	bool shadow_valid;
	/* cursors */
	const char **cur;
	char *buf;		/* runner: its copy of the string */
	const char *sent;	/* test: the pointer last sent; runner: last reported */
	size_t sent_len;	/* bytes of the string from `sent` the other side has */
};

extern struct rpc_region_slot rpc_slots[RPC_MAX_REGIONS];

void rpc_buf_reset(struct rpc_buf *b);
/* Append a record; -1 if a fixed buffer is full or len is too big. */
int rpc_put(struct rpc_buf *b, uint32_t tag, uint32_t a, uint32_t bb, const void *data, size_t len);
/* Next record of body[0..len) at *pos: 1 (r, *data set), 0 at the end, -1 malformed. */
int rpc_next(const unsigned char *body, size_t len, size_t *pos, struct rpc_rec *r, const unsigned char **data);
/* The regions' changes since the last exchange, as records. */
int rpc_sync_out(struct rpc_buf *b, bool runner);
/* Apply a SYNC / CURSOR record: 1 applied, 0 not such a record, -1 invalid. */
int rpc_sync_in(const struct rpc_rec *r, const unsigned char *data, bool runner);

#endif
