/*
 * boot.c: what a guest learns at boot from its device tree (Devicetree
 * Specification 0.4, 3.4 /memory, 3.6 /chosen): RAM, the UART, and the
 * kit's bootargs (common/README.md, "Guest protocol").
 */
#include <string.h>

#include "fdt.h"
#include "guest.h"
#include "virt.h"

struct guest_info ginfo = {
	.ram_base = VIRT_DRAM_BASE,
	.ram_size = 128UL << 20,
	.uart = VIRT_UART0_BASE,
	.token = "none",
};

/* Copy the value of "key=" from the bootargs into dst (cut at a blank). */
static void bootarg(const char *key, char *dst, unsigned size)
{
	size_t klen = strlen(key);
	const char *p = ginfo.bootargs;
	while (*p) {
		while (*p == ' ')
			p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			p += klen + 1;
			unsigned n = 0;
			while (p[n] && p[n] != ' ' && n + 1 < size) {
				dst[n] = p[n];
				n++;
			}
			dst[n] = '\0';
			return;
		}
		while (*p && *p != ' ')
			p++;
	}
}

void guest_boot(const void *dtb)
{
	if (fdt_check(dtb) != 0)
		return;
	int node = fdt_path_offset(dtb, "/chosen");
	int len = 0;
	const char *args = node >= 0 ? fdt_getprop(dtb, node, "bootargs", &len) : NULL;
	if (args && len > 0) {
		size_t n = (size_t)len < sizeof ginfo.bootargs ? (size_t)len : sizeof ginfo.bootargs - 1;
		memcpy(ginfo.bootargs, args, n);
		ginfo.bootargs[n] = '\0';
	}
	bootarg("kit.token", ginfo.token, sizeof ginfo.token);
	bootarg("kit.only", ginfo.only, sizeof ginfo.only);
	bootarg("kit.probe", ginfo.probe, sizeof ginfo.probe);
	bootarg("kit.trace", ginfo.trace, sizeof ginfo.trace);

	uint64_t base, size;
	node = fdt_path_offset(dtb, "/memory");
	if (node >= 0 && fdt_reg(dtb, node, &base, &size) == 0 && size != 0) {
		ginfo.ram_base = base;
		ginfo.ram_size = size;
	}
	node = fdt_node_by_compatible(dtb, "ns16550a");
	if (node >= 0 && fdt_reg(dtb, node, &base, &size) == 0)
		ginfo.uart = (uintptr_t)base;
	node = fdt_path_offset(dtb, "/cpus/cpu@0");
	const char *isa = node >= 0 ? fdt_getprop(dtb, node, "riscv,isa", &len) : NULL;
	if (isa && len > 0) {
		size_t n = (size_t)len < sizeof ginfo.isa ? (size_t)len : sizeof ginfo.isa - 1;
		memcpy(ginfo.isa, isa, n);
		ginfo.isa[n] = '\0';
	}
}

bool guest_isa_has(char c)
{
	/* "rv64" then the single letters, up to the first '_' (the
	 * multi-letter extensions: unpriv 20191213, chapter 27) */
	if (strncmp(ginfo.isa, "rv64", 4) != 0)
		return false;
	for (const char *p = ginfo.isa + 4; *p && *p != '_'; p++)
		if (*p == c)
			return true;
	return false;
}

bool guest_group_enabled(const char *group)
{
	return ginfo.only[0] == '\0' || strcmp(ginfo.only, group) == 0;
}
