# config.mk: tools and flags shared by every lab. Included first by the top
# Makefile. Objects go to $(BUILD)/rv/<source path>.o (RISC-V, bare metal)
# and $(BUILD)/host/<source path>.o (this machine), so one source can be
# built both ways: the VMM's pure-C files are also built for the host (the
# student runner of the unit tests, common/test/student_rpc.h).

BUILD ?= build

RV_PREFIX ?= riscv64-unknown-elf-
RV_CC := $(RV_PREFIX)gcc
RV_OBJCOPY := $(RV_PREFIX)objcopy
RV_OBJDUMP := $(RV_PREFIX)objdump
# -misa-spec=2.2 keeps Zicsr/Zifencei inside I, so that -march=rv64imac
# selects picolibc's rv64imac/lp64 multilib and still assembles csrr/fence.i.
RV_ARCH := -misa-spec=2.2 -march=rv64imac -mabi=lp64 -mcmodel=medany
RV_CFLAGS := --specs=picolibc.specs $(RV_ARCH) -std=gnu11 -O2 -g \
	-Wall -Wextra -Werror -ffreestanding -fno-common -fno-strict-aliasing \
	-Icommon/rt/include -MMD -MP
RV_ASFLAGS := --specs=picolibc.specs $(RV_ARCH) -g -Icommon/rt/include -MMD -MP
RV_LDFLAGS := --specs=picolibc.specs $(RV_ARCH) -nostartfiles \
	-Wl,--gc-sections -Wl,--no-warn-rwx-segments

HOST_CC ?= cc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Icommon/rt/include -Icommon/test -MMD -MP
HOST_LDLIBS := -lcriterion

QEMU ?= qemu-system-riscv64
# The kit's hardware: QEMU virt, one hart, OpenSBI 1.1 from -bios default.
QEMU_MACHINE := -M virt -m 256M -smp 1 -bios default -nographic
GDB ?= gdb-multiarch
GDB_PORT ?= 1234

# Build output: one line per step, as Linux's Kbuild prints it
# ("  CC      lab01-trap-emulate/vmm/trap.c"); `make V=1` prints every
# command in full instead. A recipe states its step with
# $(call kit_say,CC,$<) and starts its command with $(Q). Only the echo
# changes: a failing command's own messages show either way, and `make -n`
# (common/scripts/compile-commands.sh) still prints every command.
# `make -s` prints nothing but errors: make puts its one-letter flags first
# in MAKEFLAGS ("s -j2 ..."), or none ("--no-builtin-rules", from the top
# Makefile, whose "s" is no flag).
V ?= 0
kit_short_flags := $(filter-out --%,$(firstword -$(MAKEFLAGS)))
ifeq ($(V),1)
Q :=
kit_say :=
else ifneq ($(findstring s,$(kit_short_flags)),)
Q := @
kit_say :=
else
Q := @
kit_say = @printf '  %-7s %s\n' '$(1)' '$(2)'
endif
