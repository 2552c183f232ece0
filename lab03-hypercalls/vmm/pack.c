/*
 * pack.c: the guests of the QEMU initrd (loader.h, vmm_guest_images): a
 * kit pack (guest_pack.h) is one VM per image; anything else is one VM.
 * Every field is checked before use: a bad pack stops the VMM with a
 * message, never a load from outside the initrd.
 */
#include <stdio.h>
#include <string.h>

#include "guest_pack.h"
#include "loader.h"

_Static_assert(GUEST_PACK_MAX == VMM_MAX_VMS, "guest_pack.h: one VM per image");
_Static_assert(GUEST_PACK_NAME == VM_NAME_MAX, "guest_pack.h: a pack's name is its VM's");

/* s[0..n) holds a NUL and, before it, printable ASCII only */
static bool text_ok(const char *s, size_t n, bool empty_ok)
{
	size_t len = strnlen(s, n);

	if (len == n || (len == 0 && !empty_ok))
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/* Image i's fault, or NULL: within the pack, on a page, not over an earlier one, its texts. */
static const char *entry_fault(const struct guest_pack *p, size_t size, unsigned i)
{
	const struct guest_pack_entry *e = &p->e[i];

	if (e->size == 0)
		return "is empty";
	if (e->offset < sizeof *p || e->offset > size || e->size > size - e->offset)
		return "is not within the pack (after its header, before its end)";
	if (e->offset % GUEST_PACK_ALIGN)
		return "does not start on a page (offset not a multiple of 4096)";
	for (unsigned j = 0; j < i; j++)
		/* both within the pack: no sum overflows */
		if (e->offset < p->e[j].offset + p->e[j].size && p->e[j].offset < e->offset + e->size)
			return "overlaps an earlier image";
	if (!text_ok(e->name, sizeof e->name, false))
		return "has a name that is empty, not NUL-terminated within its field, or not printable ASCII";
	for (const char *c = e->name; *c; c++)
		if (!GUEST_PACK_NAME_CHAR(*c))
			return "has a name with other characters than letters, digits, '.', '_' and '-'";
	if (!text_ok(e->args, sizeof e->args, true))
		return "has bootargs not NUL-terminated within their field, or not printable ASCII";
	for (unsigned j = 0; j < i; j++)
		if (strcmp(e->name, p->e[j].name) == 0)
			return "has the name of an earlier image";
	return 0;
}

unsigned vmm_guest_images(const void *image, size_t size, struct guest_image *out, unsigned max)
{
	const struct guest_pack *p = image;
	const char *fault;

	if (size < sizeof *p || memcmp(p->magic, GUEST_PACK_MAGIC, 8) != 0) {
		out[0] = (struct guest_image){ image, size, "", 0 };
		return 1;
	}
	if (p->count < 1 || p->count > max || p->count > GUEST_PACK_MAX) {
		printf("vmm: guest pack: %u images (1 to %u)\n", p->count,
		       max < GUEST_PACK_MAX ? max : GUEST_PACK_MAX);
		return 0;
	}
	if (p->reserved != 0) {
		printf("vmm: guest pack: its reserved field is %#x, not 0\n", p->reserved);
		return 0;
	}
	for (unsigned i = 0; i < p->count; i++) {
		if ((fault = entry_fault(p, size, i))) {
			printf("vmm: guest pack: image %u %s\n", i, fault);
			return 0;
		}
		const struct guest_pack_entry *e = &p->e[i];
		out[i] = (struct guest_image){ (const char *)image + e->offset, e->size, e->name,
					       e->args[0] ? e->args : 0 };
	}
	return p->count;
}
