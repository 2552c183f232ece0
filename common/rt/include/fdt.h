/*
 * fdt.h: reading a flattened device tree (Devicetree Specification 0.4,
 * chapter 5). Read-only and allocation-free: enough to find memory, the
 * initrd, /chosen/bootargs and device registers. Pure C, so host tests can
 * link it too.
 */
#ifndef KIT_FDT_H
#define KIT_FDT_H

#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedU

/* 0 if the blob has a valid header (magic, version >= 16), -1 otherwise. */
int fdt_check(const void *fdt);
uint32_t fdt_totalsize(const void *fdt);

/*
 * Node offsets are byte offsets into the structure block; -1 means none.
 * fdt_path_offset("/soc/serial") matches a component against the node name
 * with or without its "@unit" part.
 */
int fdt_path_offset(const void *fdt, const char *path);
/* The next node in document order; *depth is adjusted (pass 0 at start). */
int fdt_next_node(const void *fdt, int node, int *depth);
const char *fdt_get_name(const void *fdt, int node);
const void *fdt_getprop(const void *fdt, int node, const char *name, int *lenp);
/* First node (document order) whose "compatible" list contains compat. */
int fdt_node_by_compatible(const void *fdt, const char *compat);

/* Big-endian cells as stored in properties. */
uint32_t fdt32_ld(const void *p);
uint64_t fdt_cells_ld(const void *p, int cells);

/*
 * The first (address, size) pair of a node's "reg", assuming the root's
 * #address-cells = #size-cells = 2 as on QEMU virt. 0 on success.
 */
int fdt_reg(const void *fdt, int node, uint64_t *addr, uint64_t *size);

#endif
