# vmm.mk: lab03's VMM (included by lab03-hypercalls/lab.mk): lab02's two
# builds (shadow paging, trap-and-emulate; nested, VS-mode on the G-stage)
# with lab03's additions linked into both. Nothing of lab01 or lab02 is
# copied: lab03's files join lab02's source lists.
L03_VMM_DIR := $(L03)/vmm

# lab03's files in both builds (one line each: SBI extensions, devices,
# the PV interface), and those only one mode needs (lab02's lists are
# complete here: lab.mk files are included in name order)
L03_VMM_ADD :=
L03_VMM_ADD += banner.c
L03_VMM_ADD += pv.c
L03_VMM_ADD += pv_shared.c
L03_VMM_ADD += pv_mmu.c
L03_VMM_ADD += plic.c
L03_VMM_ADD += virtio_mmio.c
L03_VMM_ADD += virtq.c
L03_VMM_ADD += virtio_blk.c
L03_VMM_ADD += virtio_console.c
L03_VMM_ADD += devices.c
L03_VMM_ADD_SHADOW :=
L03_VMM_ADD_SHADOW += pv_shadow.c
L03_VMM_ADD_NESTED :=
# the complete SBI and several vCPUs (README.md, "A complete SBI"): the
# scheduler and lab03's SBI replace lab01's one-vCPU hooks (VMM_ONE_VCPU)
L03_VMM_ADD += sched.c
L03_VMM_ADD += sbi_v2.c
L03_VMM_ADD += sbi_rows.c
L03_VMM_ADD += sbi_hsm.c
L03_VMM_ADD += sbi_ipi.c
L03_VMM_ADD += sbi_rfence.c
L03_VMM_ADD += sbi_dbcn.c
L03_VMM_ADD += sbi_sta.c
L03_VMM_ADD += sbi_legacy_smp.c
L03_VMM_ADD_SHADOW += smp_shadow.c
# two guests on one VMM (README.md, "Two guests"): the pack, the console
L03_VMM_ADD += pack.c
L03_VMM_ADD += console_mux.c
L03_VMM_ADD += vm_switch.c
L03_VMM_ADD_NESTED += smp_nested.c
L03_VMM_REPLACED := $(addprefix $(L01_VMM_DIR)/,$(VMM_ONE_VCPU))
L03_VMM_ADD_NESTED += pv_nested.c

L03_SHADOW_SRCS := $(filter-out $(L03_VMM_REPLACED),$(L02_VMM_SRCS)) \
	$(addprefix $(L03_VMM_DIR)/,$(L03_VMM_ADD) $(L03_VMM_ADD_SHADOW))
L03_NESTED_SRCS := $(filter-out $(L03_VMM_REPLACED),$(L02_NESTED_SRCS)) \
	$(addprefix $(L03_VMM_DIR)/,$(L03_VMM_ADD) $(L03_VMM_ADD_NESTED))
L03_SHADOW_OBJS := $(L03_SHADOW_SRCS:%=$(BUILD)/rv/%.o) $(L03B)/guest_dtb.S.o
L03_NESTED_OBJS := $(L03_NESTED_SRCS:%=$(BUILD)/rv/%.o) $(L03B)/guest_dtb.S.o

$(BUILD)/rv/$(L03_VMM_DIR)/%: RV_EXTRA_CFLAGS += -I$(L03_VMM_DIR) -I$(L02_VMM_DIR) -I$(L01_VMM_DIR)

# lab02's tree with lab03's additions (guest.dts includes lab02's)
$(L03B)/guest.dtb: $(L03_VMM_DIR)/guest.dts $(L02_VMM_DIR)/guest.dts $(L01_VMM_DIR)/guest.dts
	@mkdir -p $(@D)
	$(call kit_say,DTC,$@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# lab01's guest_dtb.S, embedding lab03's blob
$(L03B)/guest_dtb.S.o: $(L01_VMM_DIR)/guest_dtb.S $(L03B)/guest.dtb
	@mkdir -p $(@D)
	$(call kit_say,AS,$<)
	$(Q)$(RV_CC) $(RV_ASFLAGS) -Wa,-I$(L03B) -c -o $@ $<

# MODE=shadow (vmm.elf) and MODE=nested (vmm-nested.elf)
$(L03B)/vmm.elf: $(L03_SHADOW_OBJS) $(RT_LIB) $(L01_VMM_DIR)/vmm.ld
	@mkdir -p $(@D)
	$(call kit_say,LD,$@)
	$(Q)$(RV_CC) $(RV_LDFLAGS) -Wl,-u,stdout -T $(L01_VMM_DIR)/vmm.ld -o $@ $(L03_SHADOW_OBJS) $(RT_LIB)
$(L03B)/vmm-nested.elf: $(L03_NESTED_OBJS) $(RT_LIB) $(L01_VMM_DIR)/vmm.ld
	@mkdir -p $(@D)
	$(call kit_say,LD,$@)
	$(Q)$(RV_CC) $(RV_LDFLAGS) -Wl,-u,stdout -T $(L01_VMM_DIR)/vmm.ld -o $@ $(L03_NESTED_OBJS) $(RT_LIB)

# GUEST=linux: the kit's Linux (lab02's guest/linux/linux.mk), with its symbols for gdb
$(L03B)/guest/linux.bin: $(LINUX_IMAGE)
	@mkdir -p $(@D)
	$(Q)cp $< $@
$(L03B)/guest/linux.elf: $(LINUX_IMAGE)
	@mkdir -p $(@D)
	$(Q)cp $(LINUX_OBJ)/vmlinux $@
