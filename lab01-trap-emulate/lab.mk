# lab01-trap-emulate: a trap-and-emulate VMM with the guest kernel in U-mode.
#
# vmm/vmm.mk   the VMM: L01_VMM_SRCS (bare metal), L01_VMM_HOST_SRCS (pure C,
#              also linked into the host unit tests), rule for $(L01B)/vmm.elf
# guest/guest.mk  the kit's test guests: L01_GUESTS, rules for
#              $(L01B)/guest/<name>.elf and .bin
# tests/unit_*.c  one Criterion binary each, linked with the VMM's pure-C files
# tests/qemu_*.c  one Criterion binary each, booting QEMU (common/test/qemu.h)

LABS += lab01
L01 := lab01-trap-emulate
L01B := $(BUILD)/lab01

L01_VMM_SRCS :=
L01_VMM_HOST_SRCS :=
L01_GUESTS :=
-include $(L01)/vmm/vmm.mk
-include $(L01)/guest/guest.mk

L01_VMM := $(if $(L01_VMM_SRCS),$(L01B)/vmm.elf $(L01B)/vmm.bin)
L01_GUEST_IMAGES := $(foreach g,$(L01_GUESTS),$(L01B)/guest/$(g).elf $(L01B)/guest/$(g).bin)

L01_UNIT := $(patsubst $(L01)/tests/%.c,$(L01B)/tests/%,$(wildcard $(L01)/tests/unit_*.c))
L01_QEMU := $(patsubst $(L01)/tests/%.c,$(L01B)/tests/%,$(wildcard $(L01)/tests/qemu_*.c))
L01_VMM_HOST_OBJS := $(L01_VMM_HOST_SRCS:%=$(BUILD)/host/%.o) $(BUILD)/host/common/rt/fdt.c.o

$(L01B)/tests/unit_%: HOST_EXTRA_CFLAGS += -I$(L01)/vmm
$(BUILD)/host/$(L01)/%: HOST_EXTRA_CFLAGS += -I$(L01)/vmm -DKIT_HOST_TEST
$(L01B)/tests/unit_%: $(BUILD)/host/$(L01)/tests/unit_%.c.o $(L01_VMM_HOST_OBJS) $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

$(L01B)/tests/qemu_%: $(BUILD)/host/$(L01)/tests/qemu_%.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

.PHONY: lab01-build lab01-tests lab01-run
lab01-build: $(L01_VMM) $(L01_GUEST_IMAGES)
lab01-tests: lab01-build $(L01_UNIT) $(L01_QEMU)
TEST_BINS += $(L01_UNIT) $(L01_QEMU)
RUN_TARGETS += lab01-run

# make qemu / qemu-gdb / gdb / bench / run for this lab (common/mk/qemu.mk)
$(if $(kit_qemu_targets),$(eval $(call kit_qemu_targets,lab01,$(L01B),$(L01_GUESTS))))
