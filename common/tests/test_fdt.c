/* Tests of common/rt/fdt.c against the device tree QEMU gives the kit's machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fdt.h"
#include "kit.h"
#include "virt.h"

static char *blob;

static void load_dtb(void)
{
	const char *path = kit_path("build/common/virt.dtb");
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s (built by 'make common-tests')", path);
	blob = malloc(1 << 20);
	size_t n = fread(blob, 1, 1 << 20, f);
	fclose(f);
	cr_assert_gt(n, 64, "%s is too short to be a device tree", path);
}

static void free_dtb(void)
{
	free(blob);
}

TestSuite(fdt, .init = load_dtb, .fini = free_dtb);

KIT_TEST(fdt, header_is_checked, .description = "fdt_check accepts QEMU's tree and rejects a bad magic")
{
	cr_assert_eq(fdt_check(blob), 0);
	char bad[64] = { 0 };
	cr_assert_eq(fdt_check(bad), -1);
}

KIT_TEST(fdt, memory_found_by_path, .description = "/memory gives RAM at 0x80000000, 256 MiB")
{
	uint64_t addr, size;
	int n = fdt_path_offset(blob, "/memory");
	cr_assert_geq(n, 0, "no /memory node");
	cr_assert_eq(fdt_reg(blob, n, &addr, &size), 0);
	cr_assert_eq(addr, VIRT_DRAM_BASE, "expected RAM at 0x80000000, got %#lx", (unsigned long)addr);
	cr_assert_eq(size, 256UL << 20, "expected 256 MiB, got %#lx", (unsigned long)size);
}

KIT_TEST(fdt, uart_found_by_compatible, .description = "the ns16550a UART is at 0x10000000")
{
	uint64_t addr, size;
	int n = fdt_node_by_compatible(blob, "ns16550a");
	cr_assert_geq(n, 0);
	cr_assert_str_eq(fdt_get_name(blob, n), "serial@10000000");
	cr_assert_eq(fdt_reg(blob, n, &addr, &size), 0);
	cr_assert_eq(addr, VIRT_UART0_BASE, "expected the UART at %#lx (virt.h), got %#lx", VIRT_UART0_BASE,
		     (unsigned long)addr);
	cr_assert_eq(fdt_path_offset(blob, "/soc/serial@10000000"), n);
	cr_assert_eq(fdt_path_offset(blob, "/soc/serial"), n);
}

KIT_TEST(fdt, missing_nodes_and_props, .description = "absent nodes and properties are reported as absent")
{
	cr_assert_eq(fdt_path_offset(blob, "/soc/no-such-node"), -1);
	cr_assert_eq(fdt_path_offset(blob, "relative"), -1);
	int n = fdt_path_offset(blob, "/cpus");
	cr_assert_geq(n, 0);
	cr_assert_null(fdt_getprop(blob, n, "no-such-property", NULL));
	int len;
	const void *tb = fdt_getprop(blob, n, "timebase-frequency", &len);
	cr_assert_not_null(tb);
	cr_assert_eq(len, 4);
	cr_assert_eq(fdt32_ld(tb), 10000000U, "QEMU virt's timebase is 10 MHz");
}
