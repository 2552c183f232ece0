# ptdump.mk: make ptdump for a lab whose VMM holds page tables for its guest
# (lab02). Included by the top Makefile after qemu.mk (its kit_guest_*
# helpers); a lab.mk calls
#
#   $(eval $(call kit_ptdump_target,lab02,$(L02B),$(L02_GUESTS)[,VMM]))
#
# (VMM: the image's name in the lab's build folder, vmm by default; lab02's
# MODE=nested gives vmm-nested, as for kit_qemu_targets)
# which defines lab02-ptdump: boot GUEST under the VMM with QEMU's gdb
# stub, stop at AT, draw the guest's page table and the VMM's table for it
# (common/scripts/ptdump.sh, kit_ptdump.py) as <build>/ptdump/<guest>-<AT>.svg
# (<guest>-nested-<AT>.svg with MODE=nested).
#
# Command-line variables (with qemu.mk's GUEST and APPEND):
#   AT=proc_trap     a function of the guest's or the VMM's ELF (the first
#                    time it runs after the VMM's boot), or a number N: the
#                    VMM's N-th exit (at vcpu_handle_exit, before handling it)
#   MODE=shadow      shadow (the shadow roots) or nested (the G-stage, hgatp)
#   PTDUMP_TIMEOUT=120  seconds for the whole run; PTDUMP_MAX=120 mappings
#                    drawn per table at most (the rest counted in a note)

AT ?=
# nested mode's drawings do not overwrite shadow mode's: paging-nested-proc_trap.svg
kit_ptdump_name = $(notdir $(basename $(GUEST)))$(if $(filter nested,$(MODE)),-nested)
kit_ptdump_args = $(strip $(if $(kit_guest_is_kit),kit.token=$$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')) $(APPEND))

define kit_ptdump_target
.PHONY: $(1)-ptdump
$(1)-ptdump: $(2)/$(or $(4),vmm).bin $(2)/$(or $(4),vmm).elf $(call kit_guest_dep,$(2),$(3))
	$(call kit_guest_check,$(2),$(3))
	@common/scripts/ptdump.sh $(or $(MODE),shadow) $(2)/$(or $(4),vmm).bin $(2)/$(or $(4),vmm).elf \
		$(call kit_guest_bin,$(2)) "$(call kit_guest_elf,$(2))" "$(AT)" $(2)/ptdump \
		$(kit_ptdump_name) "$(kit_ptdump_args)"
endef
