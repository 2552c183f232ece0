# lab02-shadow-paging: shadow and nested paging. This folder holds only
# what lab02 adds to lab01's VMM: the shadow-paging backend (vmm/shadow.c
# on the guest page-table walker vmm/walk.c, linked with lab01's core:
# vmm/vmm.mk), the kit's Linux 6.1 guest (guest/linux), the paging test
# guest (guest/paging) and the tests. Graded by labs/lab02.manifest (make
# grade LAB=lab02); its handout is handouts/*/lab02.md.
#
# tests/unit_*.c  one Criterion binary each; the VMM's pure-C files (the
#              student's among them) are not in it but in the student runner
#              $(L02B)/tests/unit_runner, as lab01's (common/test/student_rpc.h;
#              tests/unit_rpc.h, unit_stubs.c on the test side, unit_runner.c
#              on the runner's, walk_ram.c the fake guest RAM on both)
# tests/qemu_*.c  one Criterion binary each, booting QEMU

L02 := lab02-shadow-paging
L02B := $(BUILD)/lab02
LABS += lab02
DEPS_GROUPS += linux

include $(L02)/guest/linux/linux.mk
include $(L02)/vmm/vmm.mk
L02_VMM := $(L02B)/vmm.elf $(L02B)/vmm.bin $(L02B)/vmm-nested.elf $(L02B)/vmm-nested.bin
L02_GUESTS := linux
include $(L02)/guest/paging/guest.mk
include $(L02)/guest/hostile_paging/guest.mk

# pure C, built for the host: the student runner links them
L02_VMM_HOST_SRCS := $(L02)/vmm/walk.c $(L02)/vmm/shadow.c
# lab02's VMM files include lab01's headers (gmem.h) and its todo.c
$(BUILD)/host/$(L02)/%: HOST_EXTRA_CFLAGS += -I$(L02)/vmm -I$(L01)/vmm -I$(L02)/tests -I$(L01)/tests -DKIT_HOST_TEST

L02_UNIT_PARTS := unit_stubs unit_runner
L02_UNIT := $(filter-out $(L02_UNIT_PARTS:%=$(L02B)/tests/%),\
	$(patsubst $(L02)/tests/%.c,$(L02B)/tests/%,$(wildcard $(L02)/tests/unit_*.c)))
L02_RUNNER := $(L02B)/tests/unit_runner
L02_QEMU := $(patsubst $(L02)/tests/%.c,$(L02B)/tests/%,$(wildcard $(L02)/tests/qemu_*.c))

# The student runner: static (it starts with no file to open) and without
# Criterion: it holds no verdict.
L02_RUNNER_OBJS := $(BUILD)/host/$(L02)/tests/unit_runner.c.o $(BUILD)/host/$(L02)/tests/walk_ram.c.o \
	$(L02_VMM_HOST_SRCS:%=$(BUILD)/host/%.o) $(BUILD)/host/$(L02)/vmm/shadow_query.c.o \
	$(BUILD)/host/$(L01)/vmm/gmem.c.o $(BUILD)/host/$(L01)/vmm/todo.c.o $(STUDENT_RPC_RUNNER_OBJS)
$(L02_RUNNER): $(L02_RUNNER_OBJS)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -static -o $@ $^ $(STUDENT_RPC_LDLIBS)

# A unit test: the test, the stubs that call the runner, the fake RAM.
$(L02B)/tests/unit_%: $(BUILD)/host/$(L02)/tests/unit_%.c.o $(BUILD)/host/$(L02)/tests/unit_stubs.c.o \
		$(BUILD)/host/$(L02)/tests/walk_ram.c.o $(KIT_TEST_LIB) | $(L02_RUNNER)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS) $(STUDENT_RPC_LDLIBS)

# The G-stage's unit test has a runner of its own (tests/gstage_rpc.h):
# gstage.c defines mmu_vm_init, as shadow.c does.
L02_GSTAGE_RUNNER := $(L02B)/tests/gstage_runner
L02_GSTAGE_RUNNER_OBJS := $(addprefix $(BUILD)/host/$(L02)/,tests/gstage_runner.c.o tests/gstage_fake.c.o \
	vmm/gstage.c.o) $(addprefix $(BUILD)/host/$(L01)/vmm/,gmem.c.o vm.c.o todo.c.o) $(STUDENT_RPC_RUNNER_OBJS)
$(L02_GSTAGE_RUNNER): $(L02_GSTAGE_RUNNER_OBJS)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -static -o $@ $^ $(STUDENT_RPC_LDLIBS)
$(L02B)/tests/unit_gstage: $(BUILD)/host/$(L02)/tests/unit_gstage.c.o $(BUILD)/host/$(L02)/tests/gstage_fake.c.o \
		$(KIT_TEST_LIB) | $(L02_GSTAGE_RUNNER)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS) $(STUDENT_RPC_LDLIBS)

$(L02B)/tests/qemu_%: $(BUILD)/host/$(L02)/tests/qemu_%.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

# lab01's QEMU tests built again for lab02 (every later VMM must still pass
# them): l02_lab01_test(name, lab01 test, cflags) builds $(L02B)/tests/name.
define l02_lab01_test
$$(BUILD)/host/$$(L02)/tests/$(1).c.o: $$(L01)/tests/$(2).c
	@mkdir -p $$(@D)
	$$(call kit_say,HOSTCC,$$< (for lab02: $(1)))
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) -DKIT_LAB='"lab02"' $(3) -c -o $$@ $$<
$$(L02B)/tests/$(1): $$(BUILD)/host/$$(L02)/tests/$(1).c.o $$(KIT_TEST_LIB)
	@mkdir -p $$(@D)
	$$(call kit_say,HOSTLD,$$@)
	$$(Q)$$(HOST_CC) -o $$@ $$^ $$(HOST_LDLIBS)
L02_QEMU += $$(L02B)/tests/$(1)
endef
# Stock U-Boot under lab02's VMM, in shadow and in nested mode; lab01's
# hostile guest in nested mode (the shadow VMM runs it as lab01's does).
$(eval $(call l02_lab01_test,qemu_uboot,qemu_uboot,))
$(eval $(call l02_lab01_test,qemu_uboot_nested,qemu_uboot,-DKIT_NESTED))
$(eval $(call l02_lab01_test,qemu_hostile_nested,qemu_hostile,-DKIT_NESTED))

.PHONY: lab02-linux-tests
lab02-linux-tests: $(LINUX_IMAGE) $(L02_QEMU) $(L02_VMM) $(L01B)/guest/hostile.bin
TEST_TARGETS += lab02-linux-tests
TEST_BINS += $(L02_QEMU)

# the paging test guest (guest/paging) natively and under the VMM
.PHONY: lab02-paging-tests
lab02-paging-tests: $(L02B)/guest/paging.bin $(L02B)/tests/qemu_paging $(L02_VMM) \
	$(L02B)/guest/hostile_paging.bin $(L02B)/tests/qemu_hostile_paging
TEST_TARGETS += lab02-paging-tests

.PHONY: lab02-unit-tests
lab02-unit-tests: $(L02_UNIT) $(L02_RUNNER) $(L02_GSTAGE_RUNNER)
TEST_TARGETS += lab02-unit-tests
TEST_BINS += $(L02_UNIT)

.PHONY: lab02-build
lab02-build: $(L02_VMM) $(L02B)/guest/paging.bin $(L02B)/guest/hostile_paging.bin

# make qemu / qemu-gdb / gdb / bench / run for this lab (common/mk/qemu.mk);
# MODE=shadow (the default: shadow page tables, the guest kernel in
# U-mode, vmm.bin) or MODE=nested (VS-mode and the G-stage, vmm-nested.bin)
MODE ?= shadow
L02_MODES := shadow nested
L02_MODE_VMM := $(if $(filter nested,$(MODE)),vmm-nested,vmm)
ifeq ($(origin MODE)$(filter $(MODE),$(L02_MODES)),command line)
$(error MODE=$(MODE): lab02 runs in MODE=shadow (shadow page tables, the default) or MODE=nested (the H extension's G-stage))
endif
# make bench: both modes side by side, unless MODE= names one
KIT_BENCH_VMMS_lab02 := $(if $(filter command line,$(origin MODE)),$(MODE)=$(L02B)/$(L02_MODE_VMM).bin,\
	shadow=$(L02B)/vmm.bin nested=$(L02B)/vmm-nested.bin)
$(if $(kit_qemu_targets),$(eval $(call kit_qemu_targets,lab02,$(L02B),$(L02_GUESTS),$(L02_MODE_VMM))))
# make ptdump LAB=lab02 [MODE=...] GUEST=... AT=...: the guest's table and the VMM's as an SVG (common/mk/ptdump.mk)
$(if $(kit_ptdump_target),$(eval $(call kit_ptdump_target,lab02,$(L02B),$(L02_GUESTS),$(L02_MODE_VMM))))

# make bench LAB=lab02: Linux's boot to init natively and under both
# modes (or MODE's), the paging guest's groups, then lab01's per-operation
# bench guest on lab02's VMMs, side by side
$(L02B)/guest/bench.bin $(L02B)/guest/bench.elf: $(L02B)/guest/%: $(L01B)/guest/%
	@mkdir -p $(@D)
	$(Q)cp $< $@
.PHONY: lab02-bench-linux
lab02-bench-linux: $(call kit_bench_files,lab02,$(L02B)) $(LINUX_IMAGE)
	@common/scripts/bench-linux.sh $(LINUX_IMAGE) $(KIT_BENCH_VMMS_lab02)
# the paging guest's groups natively and under the VMMs
.PHONY: lab02-bench-paging
lab02-bench-paging: $(call kit_bench_files,lab02,$(L02B)) $(L02B)/guest/paging.bin
	@common/scripts/bench.sh $(L02B)/guest/paging.bin $(KIT_BENCH_VMMS_lab02)
lab02-bench: lab02-bench-linux lab02-bench-paging
# the plot (build/lab02/bench/bench.svg) draws the paging guest's figures too
KIT_BENCH_DATA_lab02 = $(call kit_bench_dir,lab02,$(L02B))/paging.tsv

# what the grader builds (labs/lab02.manifest): every binary it runs
.PHONY: lab02-tests
lab02-tests: lab02-build $(L02_UNIT) $(L02_RUNNER) $(L02_GSTAGE_RUNNER) $(L02_QEMU) $(LINUX_IMAGE) $(L01B)/guest/hostile.bin
