# qemu.mk: make qemu / qemu-gdb / gdb / bench / run for a lab's VMM.
# Included by the top Makefile before the lab.mk files; a lab.mk calls
#
#   $(eval $(call kit_qemu_targets,lab01,$(L01B),$(L01_GUESTS)))
#
# with (1) the lab's name and (2) its build directory, which must hold
# vmm.elf and vmm.bin, and guest/<name>.elf and .bin for the kit's guests;
# (4), if given, names another VMM build there instead of vmm (lab02's
# MODE=nested: vmm-nested.elf and .bin).
# That defines lab01-qemu, lab01-qemu-gdb, lab01-gdb, lab01-bench, lab01-run.
#
# Command-line variables:
#   GUEST=selftest   a kit guest name (<build>/guest/<name>.bin), `uboot`
#                    (Debian's U-Boot for S-mode), or the path of any S-mode
#                    payload, raw binary or ELF (the VMM loads both)
#   APPEND="..."     extra guest bootargs (/chosen/bootargs); kit guests
#                    always get a fresh kit.token=<hex> in front
#   GDB_PORT=1234    gdb stub port (common/mk/config.mk)
#
# A lab whose machine needs more than QEMU_MACHINE (lab03: more RAM, its
# disk image) sets KIT_QEMU_EXTRA_<lab> (QEMU arguments, after
# QEMU_MACHINE: a later -m wins) and KIT_QEMU_DEPS_<lab> (files they need).

GUEST ?= selftest
APPEND ?=
QEMU_UBOOT_BIN := /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin

# kit_guest_is_kit: non-empty when GUEST names a kit guest, not a file
kit_guest_is_kit = $(if $(filter uboot,$(GUEST)),,$(if $(or $(findstring /,$(GUEST)),$(wildcard $(GUEST))),,y))
# kit_guest_bin(build dir): the image to give the VMM as -initrd
kit_guest_bin = $(if $(filter uboot,$(GUEST)),$(QEMU_UBOOT_BIN),$(if $(kit_guest_is_kit),$(1)/guest/$(GUEST).bin,$(GUEST)))
# kit_guest_elf(build dir): the guest's symbols for gdb, if we have them
kit_guest_elf = $(if $(kit_guest_is_kit),$(1)/guest/$(GUEST).elf,$(if $(filter %.elf,$(GUEST)),$(GUEST)))
# make builds kit guests (those the lab lists in $(2)); other images must exist already
kit_guest_dep = $(if $(kit_guest_is_kit),$(if $(filter $(GUEST),$(2)),$(1)/guest/$(GUEST).bin $(1)/guest/$(GUEST).elf))
# kit_guest_append: the -append argument, if any ($$(shell): a new token each run)
kit_guest_append = $(if $(kit_guest_is_kit),-append "$(strip kit.token=$$(shell od -An -N8 -tx1 /dev/urandom | tr -d ' \n') $(APPEND))",$(if $(APPEND),-append "$(APPEND)"))
kit_guest_check = @test -r "$(call kit_guest_bin,$(1))" || { echo "GUEST=$(GUEST): no such image $(call kit_guest_bin,$(1)) (give a kit guest name: $(strip $(2)); uboot; or the path of an S-mode payload)" >&2; exit 1; }

# The VMMs a lab's bench compares ($(1) lab, $(2) build dir, $(3) image
# name): KIT_BENCH_VMMS_<lab> (LABEL=image ...) or the lab's one VMM.
kit_bench_vmms = $(or $(KIT_BENCH_VMMS_$(1)),$(2)/$(or $(3),vmm).bin)
kit_bench_files = $(foreach e,$(call kit_bench_vmms,$(1),$(2),$(3)),$(subst @, ,$(lastword $(subst =, ,$(e)))))
# Where bench.sh keeps its logs and data files: bench/ beside the first VMM.
kit_bench_dir = $(patsubst %/,%,$(dir $(firstword $(call kit_bench_files,$(1),$(2),$(3)))))/bench

define kit_qemu_targets
.PHONY: $(1)-qemu $(1)-qemu-gdb $(1)-gdb $(1)-bench $(1)-run

# The VMM and a guest on this terminal; the serial console is interactive.
$(1)-qemu: $(2)/$(or $(4),vmm).bin $(call kit_guest_dep,$(2),$(3)) $$(KIT_QEMU_DEPS_$(1))
	$(call kit_guest_check,$(2),$(3))
	@echo "== $(1): VMM $(2)/$(or $(4),vmm).bin, guest $(call kit_guest_bin,$(2)). Quit QEMU: Ctrl-A then X."
	$(Q)$(QEMU) $(QEMU_MACHINE) $$(KIT_QEMU_EXTRA_$(1)) -kernel $(2)/$(or $(4),vmm).bin -initrd $(call kit_guest_bin,$(2)) $(call kit_guest_append)

# The same, stopped before the first instruction, with a gdb stub.
$(1)-qemu-gdb: $(2)/$(or $(4),vmm).bin $(2)/$(or $(4),vmm).elf $(call kit_guest_dep,$(2),$(3)) $$(KIT_QEMU_DEPS_$(1))
	$(call kit_guest_check,$(2),$(3))
	@common/scripts/gdbinit.sh $(GDB_PORT) $(2)/$(or $(4),vmm).elf $(call kit_guest_elf,$(2)) > $(2)/gdbinit
	@echo "== $(1): QEMU is stopped, waiting for gdb on 127.0.0.1:$(GDB_PORT)."
	@echo "== In another terminal: make gdb LAB=$(1)$(if $(filter-out vmm,$(or $(4),vmm)), MODE=$(MODE))$(if $(filter-out selftest,$(GUEST)), GUEST=$(GUEST))$(if $(filter-out 1234,$(GDB_PORT)), GDB_PORT=$(GDB_PORT))   (or: $(GDB) -x $(2)/gdbinit)"
	@echo "== Quit QEMU: Ctrl-A then X."
	$(Q)$(QEMU) $(QEMU_MACHINE) $$(KIT_QEMU_EXTRA_$(1)) -kernel $(2)/$(or $(4),vmm).bin -initrd $(call kit_guest_bin,$(2)) $(call kit_guest_append) \
		-S -gdb tcp:127.0.0.1:$(GDB_PORT)

# gdb-multiarch on the QEMU of $(1)-qemu-gdb, with the VMM's and the guest's symbols.
$(1)-gdb: $(2)/$(or $(4),vmm).elf $(call kit_guest_dep,$(2),$(3))
	@common/scripts/gdbinit.sh $(GDB_PORT) $(2)/$(or $(4),vmm).elf $(call kit_guest_elf,$(2)) > $(2)/gdbinit
	$(Q)$(GDB) -q -x $(2)/gdbinit

# Overhead per operation: the bench guest natively and under the VMM, -icount
# shift=0; a lab with several VMMs lists them as LABEL=image in
# KIT_BENCH_VMMS_<lab> (lab02: shadow and nested), shown side by side.
# The table's figures, and those of the data files the lab lists in
# KIT_BENCH_DATA_<lab> (other guests' bench.sh runs), drawn as one SVG.
# KIT_BENCH_GUEST_<lab> names another bench guest than $(2)/guest/bench.bin
# (lab03: the paging guest, whose PV build is one of the runs) and
# KIT_BENCH_APPEND_<lab> its bootargs; KIT_QEMU_EXTRA_<lab> applies too.
$(1)-bench: $(call kit_bench_files,$(1),$(2),$(4)) $$(or $$(KIT_BENCH_GUEST_$(1)),$(2)/guest/bench.bin) $$(KIT_QEMU_DEPS_$(1))
	@BENCH_QEMU_EXTRA="$$(KIT_QEMU_EXTRA_$(1))" BENCH_APPEND="$$(KIT_BENCH_APPEND_$(1))" \
		common/scripts/bench.sh $$(or $$(KIT_BENCH_GUEST_$(1)),$(2)/guest/bench.bin) $(call kit_bench_vmms,$(1),$(2),$(4))
	@common/scripts/bench-plot.sh -t $(1) -o $(call kit_bench_dir,$(1),$(2),$(4))/bench.svg \
		$$(KIT_BENCH_DATA_$(1)) $(call kit_bench_dir,$(1),$(2),$(4))/$$(basename $$(notdir $$(or $$(KIT_BENCH_GUEST_$(1)),$(2)/guest/bench.bin))).tsv

# make run: the reference VMM with its self-test guest, then a U-Boot session.
$(1)-run: $(2)/$(or $(4),vmm).bin $(2)/guest/selftest.bin
	@common/scripts/lab-run.sh $(1) $(2)/$(or $(4),vmm).bin $(2)/guest/selftest.bin
endef
