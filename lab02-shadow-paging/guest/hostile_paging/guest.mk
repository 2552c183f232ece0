# guest.mk: lab02's hostile paging guest (included by lab02-shadow-paging/lab.mk).
#
# The paging guest's kernel (guest/paging: pt.c, trap.c, proc.c, asm.S and
# lab01's selftest trap.S) with groups of its own whose page tables are
# built to hurt a shadow pager; README.md there ("hostile_paging").

L02HG := $(L02)/guest/hostile_paging
L02_GUESTS += hostile_paging

L02HG_SRCS := $(addprefix $(L02HG)/,main.c tables.c modes.c fences.c spaces.c access.c hext.c emul.S) \
	$(addprefix $(L02G)/,pt.c trap.c proc.c asm.S) $(L01G)/selftest/trap.S

$(BUILD)/rv/$(L02HG)/%: RV_EXTRA_CFLAGS += $(GUEST_LIB_CFLAGS) -I$(L01G)/selftest -I$(L02G)

$(eval $(call kit_guest_link,hostile_paging,$(L02HG_SRCS),$(L02B)))
