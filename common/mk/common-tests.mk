# Tests of common/ itself: each common/tests/test_*.c is one Criterion binary.
COMMON_TESTS := $(patsubst common/tests/%.c,$(BUILD)/common/tests/%,$(wildcard common/tests/test_*.c))

$(BUILD)/common/tests/%: $(BUILD)/host/common/tests/%.c.o $(BUILD)/host/common/rt/fdt.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

# A device tree to read: QEMU's own for the kit's machine.
$(BUILD)/common/virt.dtb:
	@mkdir -p $(@D)
	$(call kit_say,GEN,$@)
	$(Q)$(QEMU) $(QEMU_MACHINE) -machine dumpdtb=$@ >/dev/null

.PHONY: common-tests
common-tests: $(COMMON_TESTS) $(BUILD)/common/virt.dtb
TEST_BINS := $(COMMON_TESTS) $(TEST_BINS)
