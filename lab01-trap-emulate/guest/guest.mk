# guest.mk: the kit's lab01 test guests (included by lab01-trap-emulate/lab.mk).
#
# Each guest is an ordinary S-mode kernel linked at 0x80200000 with
# common/rt (start.S, librt.a, payload.ld) and the kit's guest library
# common/guest (GUEST_LIB_OBJS, common/mk/rules.mk); it runs natively on
# OpenSBI and under the lab01 VMM. guest/README.md describes them and their output.
#   selftest  checks of every VMM feature (KIT CHECK lines, kit.only=<group>)
#   hostile   random instructions, every CSR, faults, VMM memory probes
#   bench     per-operation instruction and exit counts for `make bench`

L01G := $(L01)/guest
L01_GUESTS += selftest hostile bench

L01G_SELFTEST_SRCS := $(addprefix $(L01G)/selftest/,main.c check.c trap.c trap.S \
	proc.c csr.c sret.c reflect.c sched.c dev.c user_blob.S)
L01G_USER_SRCS := $(L01G)/selftest/user/ustart.S $(L01G)/selftest/user/user.c
L01G_HOSTILE_SRCS := $(addprefix $(L01G)/hostile/,main.c probe.S probe.c memory.c escape.c)
L01G_BENCH_SRCS := $(addprefix $(L01G)/bench/,main.c) \
	$(L01G)/selftest/trap.S $(L01G)/selftest/trap.c $(L01G)/selftest/proc.c \
	$(L01G)/selftest/user_blob.S

$(BUILD)/rv/$(L01G)/%: RV_EXTRA_CFLAGS += $(GUEST_LIB_CFLAGS)

# The user program: its own link address, embedded in the kernel image.
L01G_USER_BIN := $(L01B)/guest/selftest-user.bin
$(L01B)/guest/selftest-user.elf: $(L01G_USER_SRCS:%=$(BUILD)/rv/%.o) $(L01G)/selftest/user/user.ld
	@mkdir -p $(@D)
	$(call kit_say,LD,$@)
	$(Q)$(RV_CC) $(RV_ARCH) -nostdlib -nostartfiles -Wl,--no-warn-rwx-segments \
		-T $(L01G)/selftest/user/user.ld -o $@ $(filter %.o,$^)
$(L01G_USER_BIN): $(L01B)/guest/selftest-user.elf
	$(call kit_say,OBJCOPY,$@)
	$(Q)$(RV_OBJCOPY) -O binary $< $@
$(BUILD)/rv/$(L01G)/selftest/user_blob.S.o: $(L01G_USER_BIN)
$(BUILD)/rv/$(L01G)/selftest/user_blob.S.o: private RV_EXTRA_CFLAGS += -DUSER_BIN='"$(L01G_USER_BIN)"'

# kit_guest_link(name, sources[, build dir]): <build dir, default
# build/lab01>/guest/<name>.elf (lab02's guests use it too). -u stdout pulls
# console.c out of librt.a when only libc (printf) refers to it.
define kit_guest_link
$(or $(3),$(L01B))/guest/$(1).elf: $(RT_START) $(2:%=$(BUILD)/rv/%.o) $(GUEST_LIB_OBJS) $(RT_LIB) $(RT_LDSCRIPT)
	@mkdir -p $$(@D)
	$(call kit_say,LD,$$@)
	$(Q)$(RV_CC) $(RV_LDFLAGS) -Wl,-u,stdout -T $(RT_LDSCRIPT) -o $$@ $$(filter %.o %.a,$$^)
endef
$(eval $(call kit_guest_link,selftest,$(L01G_SELFTEST_SRCS)))
$(eval $(call kit_guest_link,hostile,$(L01G_HOSTILE_SRCS)))
$(eval $(call kit_guest_link,bench,$(L01G_BENCH_SRCS)))
