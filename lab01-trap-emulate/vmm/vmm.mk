# vmm.mk: the lab01 VMM (included by lab01-trap-emulate/lab.mk).
#
# L01_VMM_HOST_SRCS are pure C (hardware only through hw.h): they are built
# for the VMM and also for the host: the unit tests' student runner
# (tests/unit_runner.c) links them.
L01_VMM_DIR := $(L01)/vmm

# One vCPU per VM: the hooks lab03 replaces with its own files (vcpus.h,
# vmm_sbi.h: SBI spec 1.0, no legacy IPIs or fences).
VMM_ONE_VCPU := vcpus_one.c sbi_v1.c

# The VMM's core, which every lab's VMM links (lab02 and lab03 add their
# files to it, never copies). What every run loop (run.h) uses, pure C ...
VMM_COMMON_HOST_SRCS := $(addprefix $(L01_VMM_DIR)/, \
	decode.c insn_mem.c trap.c vcpu.c vm.c dev_uart.c \
	sbi.c sbi_table.c sbi_base.c sbi_time.c sbi_srst.c sbi_legacy.c sbi_kit.c \
	uart.c mmio.c gmem.c loader.c stats.c todo.c $(VMM_ONE_VCPU))
# ... and bare metal (boot, trap vector, the VMM's own table, hw.h);
VMM_COMMON_SRCS := $(addprefix $(L01_VMM_DIR)/, entry.S trapvec.S guest_dtb.S main.c vmm_map.c hw.c mem.c) \
	$(VMM_COMMON_HOST_SRCS)
# what only trap-and-emulate needs (the guest kernel in real U-mode: its
# CSR instructions, sret, wfi, sfence.vma emulated; instruction fetch
# through the backend's translation) and its run loop. lab02's nested mode
# links VMM_COMMON_SRCS with its own run loop instead.
VMM_TAE_HOST_SRCS := $(addprefix $(L01_VMM_DIR)/, csr.c emulate.c exit.c gmem_fetch.c)
VMM_CORE_HOST_SRCS := $(VMM_COMMON_HOST_SRCS) $(VMM_TAE_HOST_SRCS)
VMM_CORE_SRCS := $(VMM_COMMON_SRCS) $(L01_VMM_DIR)/run_u.c $(VMM_TAE_HOST_SRCS)
# The guest-memory backend (mmu.h), chosen at link time: lab01's is Bare.
L01_VMM_BACKEND := $(L01_VMM_DIR)/mmu_bare.c

L01_VMM_HOST_SRCS := $(VMM_CORE_HOST_SRCS) $(L01_VMM_BACKEND)
L01_VMM_SRCS := $(VMM_CORE_SRCS) $(L01_VMM_BACKEND)

L01_VMM_OBJS := $(L01_VMM_SRCS:%=$(BUILD)/rv/%.o)

$(BUILD)/rv/$(L01_VMM_DIR)/%: RV_EXTRA_CFLAGS += -I$(L01_VMM_DIR) -Wa,-I$(L01B)

# The guest's device tree, embedded in the VMM (guest_dtb.S .incbin).
$(L01B)/guest.dtb: $(L01_VMM_DIR)/guest.dts
	@mkdir -p $(@D)
	$(call kit_say,DTC,$@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(BUILD)/rv/$(L01_VMM_DIR)/guest_dtb.S.o: $(L01B)/guest.dtb

# -u stdout: picolibc's printf needs stdout from librt (console.c), which
# the link has already passed when libc asks for it.
$(L01B)/vmm.elf: $(L01_VMM_OBJS) $(RT_LIB) $(L01_VMM_DIR)/vmm.ld
	@mkdir -p $(@D)
	$(call kit_say,LD,$@)
	$(Q)$(RV_CC) $(RV_LDFLAGS) -Wl,-u,stdout -T $(L01_VMM_DIR)/vmm.ld -o $@ $(L01_VMM_OBJS) $(RT_LIB)
