# vmm.mk: lab02's VMM (included by lab02-shadow-paging/lab.mk): lab01's
# core (VMM_CORE_SRCS, lab01-trap-emulate/vmm/vmm.mk) with lab02's
# guest-memory backend, shadow page tables, in place of lab01's Bare one,
# and lab02's guest device tree. Nothing of lab01 is copied.
L02_VMM_DIR := $(L02)/vmm

# The backend (mmu.h) and what it needs: the guest's tables walked in software.
L02_VMM_BACKEND := $(L02_VMM_DIR)/shadow.c $(L02_VMM_DIR)/walk.c
L02_VMM_SRCS := $(filter-out %/guest_dtb.S,$(VMM_CORE_SRCS)) $(L02_VMM_BACKEND)
L02_VMM_OBJS := $(L02_VMM_SRCS:%=$(BUILD)/rv/%.o) $(L02B)/guest_dtb.S.o

$(BUILD)/rv/$(L02_VMM_DIR)/%: RV_EXTRA_CFLAGS += -I$(L02_VMM_DIR) -I$(L01_VMM_DIR)

# lab01's tree with lab02's additions (guest.dts includes lab01's)
$(L02B)/guest.dtb: $(L02_VMM_DIR)/guest.dts $(L01_VMM_DIR)/guest.dts
	@mkdir -p $(@D)
	$(call kit_say,DTC,$@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# lab01's guest_dtb.S, embedding lab02's blob
$(L02B)/guest_dtb.S.o: $(L01_VMM_DIR)/guest_dtb.S $(L02B)/guest.dtb
	@mkdir -p $(@D)
	$(call kit_say,AS,$<)
	$(Q)$(RV_CC) $(RV_ASFLAGS) -Wa,-I$(L02B) -c -o $@ $<

$(L02B)/vmm.elf: $(L02_VMM_OBJS) $(RT_LIB) $(L01_VMM_DIR)/vmm.ld
	@mkdir -p $(@D)
	$(call kit_say,LD,$@)
	$(Q)$(RV_CC) $(RV_LDFLAGS) -Wl,-u,stdout -T $(L01_VMM_DIR)/vmm.ld -o $@ $(L02_VMM_OBJS) $(RT_LIB)

# GUEST=linux: the kit's Linux (guest/linux/linux.mk) as a kit guest, with
# its symbols (vmlinux) for gdb
$(L02B)/guest/linux.bin: $(LINUX_IMAGE)
	@mkdir -p $(@D)
	$(Q)cp $< $@
$(L02B)/guest/linux.elf: $(LINUX_IMAGE)
	@mkdir -p $(@D)
	$(Q)cp $(LINUX_OBJ)/vmlinux $@

# Nested mode (MODE=nested): the guest in VS-mode on the H extension. The
# same core without what only trap-and-emulate needs (VMM_COMMON_SRCS),
# its own run loop and instruction fetch (run_vs.c, vs_fetch.c,
# vs_hlvx.S), the exit path of a VS guest (vs_exit.c, with the guest
# table walker walk.c to tell a walk's guest-page fault from the access's)
# and the G-stage backend (gstage.c, for mmu.h); the same guest device tree.
L02_NESTED_SRCS := $(filter-out %/guest_dtb.S,$(VMM_COMMON_SRCS)) \
	$(addprefix $(L02_VMM_DIR)/, run_vs.c vs_exit.c vs_fetch.c vs_hlvx.S gstage.c walk.c)
L02_NESTED_OBJS := $(L02_NESTED_SRCS:%=$(BUILD)/rv/%.o) $(L02B)/guest_dtb.S.o

$(L02B)/vmm-nested.elf: $(L02_NESTED_OBJS) $(RT_LIB) $(L01_VMM_DIR)/vmm.ld
	@mkdir -p $(@D)
	$(call kit_say,LD,$@)
	$(Q)$(RV_CC) $(RV_LDFLAGS) -Wl,-u,stdout -T $(L01_VMM_DIR)/vmm.ld -o $@ $(L02_NESTED_OBJS) $(RT_LIB)
