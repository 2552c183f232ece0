# lab03-hypercalls: hypercalls, a complete SBI, virtio devices and two
# guests on one VMM. This folder holds only what lab03 adds to lab02's VMM
# (vmm/vmm.mk: lab02's shadow and nested builds with lab03's files linked
# into both), lab03's guests and its tests. Graded by labs/lab03.manifest
# (make grade LAB=lab03); its handout is handouts/*/lab03.md.
#
# tests/qemu_*.c  one Criterion binary each, booting QEMU

L03 := lab03-hypercalls
L03B := $(BUILD)/lab03
LABS += lab03

include $(L03)/vmm/vmm.mk
L03_VMM := $(L03B)/vmm.elf $(L03B)/vmm.bin $(L03B)/vmm-nested.elf $(L03B)/vmm-nested.bin
L03_GUESTS := linux
-include $(sort $(wildcard $(L03)/guest/*/guest.mk))

$(BUILD)/host/$(L03)/%: HOST_EXTRA_CFLAGS += -I$(L03)/tests -I$(L02)/tests -I$(L01)/tests -I$(L03)/vmm -I$(L02)/vmm -I$(L01)/vmm

# The kit's disk images (common/rt/include/kitdisk.h), one per VM, written
# by a host tool at build time with the VM's number in the header: QEMU's
# generic loader puts VM n's into host RAM at disk_backing_pa(n) (vmm/
# lab03_map.h, their one definition, read from there by the C
# preprocessor) with lab03's larger RAM (LAB03_HOST_RAM, -m 512M).
L03_DISK := $(L03B)/disk.img
L03_DISK1 := $(L03B)/disk1.img
l03_hash := \#
l03_map = $(or $(shell printf '$(l03_hash)include "lab03_map.h"\n%s\n' '$(1)' | \
	$(HOST_CC) -E -P -I$(L03)/vmm -x c - | tail -n 1 | sed 's/UL//g' | \
	{ read e; printf '%$(l03_hash)x' $$(($$e)); }),$(error cannot read $(1) from $(L03)/vmm/lab03_map.h))
L03_DISK_PA := $(call l03_map,DISK_BACKING_PA)
L03_DISK1_PA := $(call l03_map,DISK1_BACKING_PA)
$(L03B)/mkdisk: $(L03)/disk/mkdisk.c common/rt/include/kitdisk.h
	@mkdir -p $(@D)
	$(call kit_say,HOSTCC,$<)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -o $@ $<
$(L03_DISK): $(L03B)/mkdisk
	$(call kit_say,GEN,$@)
	$(Q)$< $@ 0
$(L03_DISK1): $(L03B)/mkdisk
	$(call kit_say,GEN,$@)
	$(Q)$< $@ 1
# make qemu LAB=lab03: QEMU's arguments for lab03's machine (common/mk/qemu.mk)
KIT_QEMU_EXTRA_lab03 = -m 512M -device loader,file=$(L03_DISK),addr=$(L03_DISK_PA),force-raw=on \
	-device loader,file=$(L03_DISK1),addr=$(L03_DISK1_PA),force-raw=on
KIT_QEMU_DEPS_lab03 = $(L03_DISK) $(L03_DISK1)

L03_QEMU := $(patsubst $(L03)/tests/%.c,$(L03B)/tests/%,$(wildcard $(L03)/tests/qemu_*.c))
$(L03B)/tests/qemu_%: $(BUILD)/host/$(L03)/tests/qemu_%.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)
TEST_BINS += $(L03_QEMU)

.PHONY: lab03-build lab03-tests
lab03-build: $(L03_VMM) $(L03_DISK) $(L03_DISK1) $(L03B)/mkpack $(L03B)/guest/virtio.bin
# what the grader builds (labs/lab03.manifest): every binary it runs (lab01's
# selftest: qemu_two's input test)
lab03-tests: lab03-build $(L03_QEMU) $(LINUX_IMAGE) $(L01B)/guest/selftest.bin

# Two guests on one VMM (README.md, "Two guests"): make qemu LAB=lab03
# GUESTS="linux selftest" packs the two images (kit guest names or paths)
# into one initrd with the kit's header (vmm/guest_pack.h), each kit
# guest with a fresh kit.token of its own; the VMM runs one VM per image.
$(L03B)/mkpack: $(L03)/tools/mkpack.c $(L03)/vmm/guest_pack.h
	@mkdir -p $(@D)
	$(call kit_say,HOSTCC,$<)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -I$(L03)/vmm -o $@ $<
L03_PACK := $(L03B)/guests.pack
l03_is_kit = $(if $(or $(findstring /,$(1)),$(wildcard $(1))),,y)
l03_img = $(if $(call l03_is_kit,$(1)),$(if $(filter selftest,$(1)),$(L01B)/guest/selftest.bin,$(L03B)/guest/$(1).bin),$(1))
# Linux's init reads its token as kittoken= (guest/linux/init.c); one console (ttyS0), as the tests boot it
l03_tok = $$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
l03_args = $(strip $(if $(call l03_is_kit,$(1)),$(if $(filter linux,$(1)),kittoken=$(l03_tok) console=ttyS0 quiet,kit.token=$(l03_tok))) $(APPEND))
.PHONY: lab03-pack-always
$(L03_PACK): $(L03B)/mkpack $(foreach g,$(GUESTS),$(call l03_img,$(g))) lab03-pack-always
	$(call kit_say,PACK,$@ ($(GUESTS)))
	$(Q)$(L03B)/mkpack $@ $(foreach g,$(GUESTS),$(basename $(notdir $(g))) $(call l03_img,$(g)) "$(call l03_args,$(g))")
ifneq ($(strip $(GUESTS)),)
override GUEST := $(L03_PACK)
KIT_QEMU_DEPS_lab03 += $(L03_PACK)
endif

# make qemu / qemu-gdb / gdb / bench for this lab (common/mk/qemu.mk), in
# lab02's modes: MODE=shadow (the default) or MODE=nested (lab02-shadow-
# paging/lab.mk checks MODE's value and sets L02_MODE_VMM from it)
# make bench LAB=lab03: the three ways of virtualizing, one workload
# (lab02's paging guest's bench group: system calls, page faults, fences,
# address-space switches) natively and as trap-and-emulate (shadow
# paging), paravirtualized (its PV build, paging-pv.bin, on the same
# VMM) and hardware-assisted (nested); then Linux's boot to init in both
# modes. MODE= keeps one VMM (and the PV run on shadow's).
L03_BENCH_TAE := trap-and-emulate=$(L03B)/vmm.bin
L03_BENCH_PV := pv=$(L03B)/vmm.bin@$(L03B)/guest/paging-pv.bin
L03_BENCH_HW := hw-assisted=$(L03B)/vmm-nested.bin
KIT_BENCH_VMMS_lab03 := $(if $(filter command line,$(origin MODE)),\
	$(if $(filter nested,$(MODE)),$(L03_BENCH_HW),$(L03_BENCH_TAE) $(L03_BENCH_PV)),\
	$(L03_BENCH_TAE) $(L03_BENCH_PV) $(L03_BENCH_HW))
KIT_BENCH_GUEST_lab03 := $(L03B)/guest/paging.bin
KIT_BENCH_APPEND_lab03 := kit.only=bench
$(if $(kit_qemu_targets),$(eval $(call kit_qemu_targets,lab03,$(L03B),$(L03_GUESTS),$(L02_MODE_VMM))))
# make ptdump LAB=lab03 [MODE=...] GUEST=... AT=...: as lab02's (kit_ptdump.py finds the vCPU in sched.c's pool)
$(if $(kit_ptdump_target),$(eval $(call kit_ptdump_target,lab03,$(L03B),$(L03_GUESTS),$(L02_MODE_VMM))))

# make run: lab03-run (common/mk/qemu.mk: lab01's self-test guest and a
# U-Boot session under lab03's VMM), then lab03-two: two guests side by
# side in both modes (run.sh) and the three ways measured (make bench
# LAB=lab03, the paging guest's part)
$(L03B)/guest/selftest.bin $(L03B)/guest/selftest.elf: $(L03B)/guest/%: $(L01B)/guest/%
	@mkdir -p $(@D)
	$(Q)cp $< $@
.PHONY: lab03-two
lab03-two: $(L03_VMM) $(L03_DISK) $(L03_DISK1) $(L03B)/mkpack $(LINUX_IMAGE) $(L03B)/guest/paging-pv.bin $(L03B)/guest/paging.bin
	@QEMU=$(QEMU) RUN_MACHINE="$(QEMU_MACHINE) $(KIT_QEMU_EXTRA_lab03)" $(L03)/run.sh $(L03B) $(LINUX_IMAGE)
	@BENCH_QEMU_EXTRA="$(KIT_QEMU_EXTRA_lab03)" BENCH_APPEND="$(KIT_BENCH_APPEND_lab03)" \
		common/scripts/bench.sh $(KIT_BENCH_GUEST_lab03) $(L03_BENCH_TAE) $(L03_BENCH_PV) $(L03_BENCH_HW)
RUN_TARGETS += lab03-run lab03-two

.PHONY: lab03-bench-linux
lab03-bench-linux: $(L03B)/vmm.bin $(L03B)/vmm-nested.bin $(LINUX_IMAGE) $(L03_DISK) $(L03_DISK1)
	@BENCH_QEMU_EXTRA="$(KIT_QEMU_EXTRA_lab03)" common/scripts/bench-linux.sh $(LINUX_IMAGE) \
		$(if $(filter command line,$(origin MODE)),$(MODE)=$(L03B)/$(L02_MODE_VMM).bin,\
		shadow=$(L03B)/vmm.bin nested=$(L03B)/vmm-nested.bin)
lab03-bench: lab03-bench-linux
