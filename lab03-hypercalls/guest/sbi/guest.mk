# guest.mk: lab03's sbi test guest (included by lab03-hypercalls/lab.mk):
# an S-mode kernel on common/rt and the guest library, like lab02's paging
# guest (lab01's kit_guest_link); two harts, natively on OpenSBI (-smp 2)
# and under lab03's VMM. README.md there describes its groups.
L03G_SBI := $(L03)/guest/sbi
L03_GUESTS += sbi

L03G_SBI_SRCS := $(addprefix $(L03G_SBI)/,main.c hart.c entry.S base.c timer.c hsm.c ipi.c rfence.c \
	legacy.c dbcn.c sta.c hostile.c)

$(BUILD)/rv/$(L03G_SBI)/%: RV_EXTRA_CFLAGS += $(GUEST_LIB_CFLAGS)

$(eval $(call kit_guest_link,sbi,$(L03G_SBI_SRCS),$(L03B)))
lab03-build: $(L03B)/guest/sbi.bin
