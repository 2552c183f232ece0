/* fdt.c: see fdt.h. Devicetree Specification 0.4, 5.2 to 5.4. */
#include <stddef.h>
#include <string.h>
#include "fdt.h"

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings;
	uint32_t off_mem_rsvmap, version, last_comp_version;
	uint32_t boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

uint32_t fdt32_ld(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_cells_ld(const void *p, int cells)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_ld(b + 4 * i);
	return v;
}

#define HDR(fdt, field) fdt32_ld((const uint8_t *)(fdt) + offsetof(struct fdt_header, field))

int fdt_check(const void *fdt)
{
	if (fdt == NULL || HDR(fdt, magic) != FDT_MAGIC)
		return -1;
	if (HDR(fdt, version) < 16 || HDR(fdt, totalsize) < sizeof(struct fdt_header))
		return -1;
	if (HDR(fdt, off_dt_struct) + HDR(fdt, size_dt_struct) > HDR(fdt, totalsize))
		return -1;
	return 0;
}

uint32_t fdt_totalsize(const void *fdt)
{
	return HDR(fdt, totalsize);
}

static const uint8_t *st(const void *fdt)
{
	return (const uint8_t *)fdt + HDR(fdt, off_dt_struct);
}

static int tag_at(const void *fdt, int off)
{
	if (off < 0 || (uint32_t)off + 4 > HDR(fdt, size_dt_struct))
		return FDT_END;
	return (int)fdt32_ld(st(fdt) + off);
}

static int align4(int x)
{
	return (x + 3) & ~3;
}

/* Offset of the token after the one at off. */
static int next_tag(const void *fdt, int off)
{
	switch (tag_at(fdt, off)) {
	case FDT_BEGIN_NODE: {
		const char *name = (const char *)st(fdt) + off + 4;
		return off + 4 + align4((int)strlen(name) + 1);
	}
	case FDT_PROP:
		return off + 12 + align4((int)fdt32_ld(st(fdt) + off + 4));
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

int fdt_next_node(const void *fdt, int node, int *depth)
{
	int off = node;
	if (tag_at(fdt, off) == FDT_BEGIN_NODE)
		off = next_tag(fdt, off);
	while (off >= 0) {
		switch (tag_at(fdt, off)) {
		case FDT_BEGIN_NODE:
			(*depth)++;
			return off;
		case FDT_END_NODE:
			(*depth)--;
			break;
		case FDT_END:
			return -1;
		default:
			break;
		}
		off = next_tag(fdt, off);
	}
	return -1;
}

const char *fdt_get_name(const void *fdt, int node)
{
	if (tag_at(fdt, node) != FDT_BEGIN_NODE)
		return NULL;
	return (const char *)st(fdt) + node + 4;
}

/* Does a node name ("serial@10000000") match a path component ("serial")? */
static int name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0)
		return 0;
	return name[len] == '\0' || (name[len] == '@' && memchr(comp, '@', len) == NULL);
}

int fdt_path_offset(const void *fdt, const char *path)
{
	int node = 0, depth = 0;
	if (fdt_check(fdt) || tag_at(fdt, 0) != FDT_BEGIN_NODE || *path != '/')
		return -1;
	while (*path == '/')
		path++;
	while (*path) {
		const char *end = strchr(path, '/');
		size_t len = end ? (size_t)(end - path) : strlen(path);
		int want = depth + 1, found = -1;
		/* search the children of node */
		for (int n = fdt_next_node(fdt, node, &depth); n >= 0 && depth >= want;
		     n = fdt_next_node(fdt, n, &depth)) {
			if (depth == want && name_matches(fdt_get_name(fdt, n), path, len)) {
				found = n;
				break;
			}
		}
		if (found < 0)
			return -1;
		node = found;
		depth = want;
		path += len;
		while (*path == '/')
			path++;
	}
	return node;
}

const void *fdt_getprop(const void *fdt, int node, const char *name, int *lenp)
{
	if (tag_at(fdt, node) != FDT_BEGIN_NODE)
		return NULL;
	const char *strings = (const char *)fdt + HDR(fdt, off_dt_strings);
	for (int off = next_tag(fdt, node); off >= 0; off = next_tag(fdt, off)) {
		int tag = tag_at(fdt, off);
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			break;
		const uint8_t *p = st(fdt) + off;
		uint32_t nameoff = fdt32_ld(p + 8);
		if (nameoff < HDR(fdt, size_dt_strings) && strcmp(strings + nameoff, name) == 0) {
			if (lenp)
				*lenp = (int)fdt32_ld(p + 4);
			return p + 12;
		}
	}
	return NULL;
}

int fdt_node_by_compatible(const void *fdt, const char *compat)
{
	int depth = 0;
	if (fdt_check(fdt))
		return -1;
	for (int n = 0; n >= 0; n = fdt_next_node(fdt, n, &depth)) {
		int len;
		const char *c = fdt_getprop(fdt, n, "compatible", &len);
		for (int i = 0; c && i < len; i += (int)strlen(c + i) + 1)
			if (strcmp(c + i, compat) == 0)
				return n;
	}
	return -1;
}

int fdt_reg(const void *fdt, int node, uint64_t *addr, uint64_t *size)
{
	int len;
	const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (reg == NULL || len < 16)
		return -1;
	*addr = fdt_cells_ld(reg, 2);
	*size = fdt_cells_ld(reg + 8, 2);
	return 0;
}
