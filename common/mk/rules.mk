# rules.mk: pattern rules and the shared libraries (bare-metal runtime,
# host test helpers).

# Objects are named after their source with .o appended (vmm/trap.c ->
# $(BUILD)/rv/vmm/trap.c.o), so a .c and a .S of one name never collide.
# Per-target RV_EXTRA_CFLAGS / HOST_EXTRA_CFLAGS add include paths.
$(BUILD)/rv/%.c.o: %.c
	@mkdir -p $(@D)
	$(call kit_say,CC,$<)
	$(Q)$(RV_CC) $(RV_CFLAGS) $(RV_EXTRA_CFLAGS) -c -o $@ $<

$(BUILD)/rv/%.S.o: %.S
	@mkdir -p $(@D)
	$(call kit_say,AS,$<)
	$(Q)$(RV_CC) $(RV_ASFLAGS) $(RV_EXTRA_CFLAGS) -c -o $@ $<

$(BUILD)/host/%.c.o: %.c
	@mkdir -p $(@D)
	$(call kit_say,HOSTCC,$<)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_EXTRA_CFLAGS) -c -o $@ $<

%.bin: %.elf
	$(call kit_say,OBJCOPY,$@)
	$(Q)$(RV_OBJCOPY) -O binary $< $@

# Bare-metal runtime: every S-mode program links RT_LIB; payloads that boot
# through common/rt/start.S (the guests) also link RT_START.
RT_START := $(BUILD)/rv/common/rt/start.S.o
RT_LIB_SRCS := common/rt/sbi.c common/rt/console.c common/rt/fdt.c
RT_LIB := $(BUILD)/rv/common/librt.a
RT_LDSCRIPT := common/rt/payload.ld

$(RT_LIB): $(RT_LIB_SRCS:%=$(BUILD)/rv/%.o)
	@mkdir -p $(@D)
	$(call kit_say,AR,$@)
	$(Q)rm -f $@ && $(RV_PREFIX)ar rcs $@ $^

# The kit's guest library (common/guest/guest.h): what the test guests of
# every lab share (bootargs, RAM and UART from the device tree, KIT CHECK
# lines, the witness path, NS16550A by MMIO). A guest links GUEST_LIB_OBJS
# after its own objects and compiles with GUEST_LIB_CFLAGS.
GUEST_LIB_SRCS := common/guest/boot.c common/guest/kernel.c common/guest/report.c common/guest/uart.c common/guest/witness.S
GUEST_LIB_OBJS := $(GUEST_LIB_SRCS:%=$(BUILD)/rv/%.o)
GUEST_LIB_CFLAGS := -Icommon/guest

# Host test helpers: KIT_TEST end markers, QEMU runner, ...
KIT_TEST_SRCS := $(wildcard common/test/*.c)
KIT_TEST_LIB := $(BUILD)/host/common/libkittest.a
$(KIT_TEST_LIB): $(KIT_TEST_SRCS:%=$(BUILD)/host/%.o)
	@mkdir -p $(@D)
	$(call kit_say,HOSTAR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# The student runner's side of common/test/student_rpc.h (the test's side is
# in KIT_TEST_LIB and needs STUDENT_RPC_LDLIBS).
STUDENT_RPC_RUNNER_OBJS := $(BUILD)/host/common/test/student_rpc_runner.c.o \
	$(BUILD)/host/common/test/student_rpc_wire.c.o
STUDENT_RPC_LDLIBS := -lseccomp

# The kit's own dependency files only: $(BUILD)/linux holds Linux's source
# and Kbuild's objects, whose *.d are not make's (some are directories).
-include $(shell find $(BUILD) -path $(BUILD)/linux -prune -o -name '*.d' -type f -print 2>/dev/null)
