# lab02-shadow-paging: shadow and nested paging. So far this folder holds
# the kit's Linux 6.1 guest (guest/linux) and its native test; the VMM's
# shadow-paging backend comes next (see README.md). Not yet in LABS: there
# is no lab02 VMM, manifest or handout to grade or hand out.

L02 := lab02-shadow-paging
L02B := $(BUILD)/lab02
DEPS_GROUPS += linux

include $(L02)/guest/linux/linux.mk

L02_QEMU := $(patsubst $(L02)/tests/%.c,$(L02B)/tests/%,$(wildcard $(L02)/tests/qemu_*.c))

$(L02B)/tests/qemu_%: $(BUILD)/host/$(L02)/tests/qemu_%.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

.PHONY: lab02-linux-tests
lab02-linux-tests: $(LINUX_IMAGE) $(L02_QEMU)
TEST_TARGETS += lab02-linux-tests
TEST_BINS += $(L02_QEMU)
