# guest.mk: the PV build of lab02's paging guest kernel (included by
# lab03-hypercalls/lab.mk): lab02's guest/paging sources, unchanged, built
# with -DKIT_PV, plus this folder's PV layer (pv_layer.c), its trap entry
# (pv_trap.S, which includes lab01's selftest trap.S) and lab03's own
# groups (pv_groups.c). The objects go to build/rv-pv/, apart from the
# trapping build's. build/lab03/guest/paging-pv.bin; README: PV.md.
L03G_PV := $(L03)/guest/paging_pv
L03_GUESTS += paging-pv

L03G_PV_SRCS := $(filter-out $(L01G)/selftest/trap.S,$(L02G_PAGING_SRCS)) \
	$(addprefix $(L03G_PV)/,pv_layer.c pv_trap.S pv_groups.c)
L03G_PV_OBJS := $(L03G_PV_SRCS:%=$(BUILD)/rv-pv/%.o)
L03G_PV_CFLAGS := -DKIT_PV $(GUEST_LIB_CFLAGS) -I$(L01G)/selftest -I$(L02)/guest/paging -I$(L03G_PV) -I$(L03_VMM_DIR)

$(BUILD)/rv-pv/%.c.o: %.c
	@mkdir -p $(@D)
	$(call kit_say,CC,$< (PV))
	$(Q)$(RV_CC) $(RV_CFLAGS) $(L03G_PV_CFLAGS) -c -o $@ $<
$(BUILD)/rv-pv/%.S.o: %.S
	@mkdir -p $(@D)
	$(call kit_say,AS,$< (PV))
	$(Q)$(RV_CC) $(RV_ASFLAGS) $(L03G_PV_CFLAGS) -c -o $@ $<

$(L03B)/guest/paging-pv.elf: $(RT_START) $(L03G_PV_OBJS) $(GUEST_LIB_OBJS) $(RT_LIB) $(RT_LDSCRIPT)
	@mkdir -p $(@D)
	$(call kit_say,LD,$@)
	$(Q)$(RV_CC) $(RV_LDFLAGS) -Wl,-u,stdout -T $(RT_LDSCRIPT) -o $@ $(filter %.o %.a,$^)

# the trapping build next to it (lab02's image, for the side-by-side counts)
$(L03B)/guest/paging.bin: $(L02B)/guest/paging.bin
	@mkdir -p $(@D)
	$(Q)cp $< $@
lab03-build: $(L03B)/guest/paging-pv.bin $(L03B)/guest/paging.bin
