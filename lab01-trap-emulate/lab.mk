# lab01-trap-emulate: a trap-and-emulate VMM with the guest kernel in U-mode.
#
# vmm/vmm.mk   the VMM: L01_VMM_SRCS (bare metal), L01_VMM_HOST_SRCS (pure C,
#              also in the unit tests' student runner), rule for $(L01B)/vmm.elf
# guest/guest.mk  the kit's test guests: L01_GUESTS, rules for
#              $(L01B)/guest/<name>.elf and .bin
# tests/unit_*.c  one Criterion binary each; the VMM's pure-C files (the
#              student's among them) are not in it but in the student runner
#              $(L01B)/tests/unit_runner, a process of its own each test
#              starts (common/test/student_rpc.h; tests/unit_rpc.h,
#              unit_stubs.c on the test side, unit_runner.c on the runner's)
# tests/qemu_*.c  one Criterion binary each, booting QEMU (common/test/qemu.h)
# tests/core_*.c  the VMM core's own code (no student file linked): the
#              device table and the linker-built SBI table

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

L01_UNIT_PARTS := unit_stubs unit_fakes unit_runner
L01_UNIT := $(filter-out $(L01_UNIT_PARTS:%=$(L01B)/tests/%),\
	$(patsubst $(L01)/tests/%.c,$(L01B)/tests/%,$(wildcard $(L01)/tests/unit_*.c)))
L01_RUNNER := $(L01B)/tests/unit_runner
L01_QEMU := $(patsubst $(L01)/tests/%.c,$(L01B)/tests/%,$(wildcard $(L01)/tests/qemu_*.c))
L01_VMM_HOST_OBJS := $(L01_VMM_HOST_SRCS:%=$(BUILD)/host/%.o) $(BUILD)/host/common/rt/fdt.c.o

$(BUILD)/host/$(L01)/%: HOST_EXTRA_CFLAGS += -I$(L01)/vmm -DKIT_HOST_TEST
# The student runner: static (it starts with no file to open) and without
# Criterion: it holds no verdict.
L01_RUNNER_OBJS := $(BUILD)/host/$(L01)/tests/unit_runner.c.o $(BUILD)/host/$(L01)/tests/unit_fakes.c.o \
	$(L01_VMM_HOST_OBJS) $(STUDENT_RPC_RUNNER_OBJS)
$(L01_RUNNER): $(L01_RUNNER_OBJS)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -static -o $@ $^ $(STUDENT_RPC_LDLIBS)

# A unit test: the test, the stubs that call the runner, the fakes' state.
$(L01B)/tests/unit_%: $(BUILD)/host/$(L01)/tests/unit_%.c.o $(BUILD)/host/$(L01)/tests/unit_stubs.c.o \
		$(BUILD)/host/$(L01)/tests/unit_fakes.c.o $(KIT_TEST_LIB) | $(L01_RUNNER)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS) $(STUDENT_RPC_LDLIBS)

L01_CORE := $(patsubst $(L01)/tests/%.c,$(L01B)/tests/%,$(wildcard $(L01)/tests/core_*.c))
L01_CORE_OBJS := $(BUILD)/host/$(L01)/vmm/vm.c.o $(BUILD)/host/$(L01)/vmm/sbi_table.c.o
$(L01B)/tests/core_%: $(BUILD)/host/$(L01)/tests/core_%.c.o $(L01_CORE_OBJS) $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

$(L01B)/tests/qemu_%: $(BUILD)/host/$(L01)/tests/qemu_%.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

.PHONY: lab01-build lab01-tests lab01-run
lab01-build: $(L01_VMM) $(L01_GUEST_IMAGES)
lab01-tests: lab01-build $(L01_UNIT) $(L01_RUNNER) $(L01_QEMU) $(L01_CORE)
TEST_BINS += $(L01_UNIT) $(L01_QEMU) $(L01_CORE)
RUN_TARGETS += lab01-run

# make qemu / qemu-gdb / gdb / bench / run for this lab (common/mk/qemu.mk)
$(if $(kit_qemu_targets),$(eval $(call kit_qemu_targets,lab01,$(L01B),$(L01_GUESTS))))
