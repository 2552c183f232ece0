# guest.mk: lab02's paging test guest (included by lab02-shadow-paging/lab.mk).
#
# An S-mode kernel linked at 0x80200000 like lab01's guests (lab01's
# kit_guest_link, common/rt, the guest library common/guest), entering
# traps through lab01's selftest trap.S; it builds its own Sv39 tables and
# runs natively on OpenSBI and under lab02's VMM. README.md there describes
# its groups and output.

L02G := $(L02)/guest/paging
L02_GUESTS += paging

L02G_PAGING_SRCS := $(addprefix $(L02G)/,main.c pt.c trap.c proc.c asm.S on.c leaves.c ad.c \
	priv.c procs.c sfence.c mmio.c bench.c) $(L01G)/selftest/trap.S

$(BUILD)/rv/$(L02G)/%: RV_EXTRA_CFLAGS += $(GUEST_LIB_CFLAGS) -I$(L01G)/selftest

$(eval $(call kit_guest_link,paging,$(L02G_PAGING_SRCS),$(L02B)))
