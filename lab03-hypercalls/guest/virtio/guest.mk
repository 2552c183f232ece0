# guest.mk: lab03's virtio test guest (included by lab03-hypercalls/lab.mk):
# an S-mode kernel on common/rt and the kit's guest library, with its own
# virtio-mmio driver; README.md describes its groups.
L03GV := $(L03)/guest/virtio
L03_GUESTS += virtio

L03GV_SRCS := $(addprefix $(L03GV)/,main.c vdrv.c blk.c console.c hostile.c disk.c)

$(BUILD)/rv/$(L03GV)/%: RV_EXTRA_CFLAGS += $(GUEST_LIB_CFLAGS) -I$(L03)/vmm

$(eval $(call kit_guest_link,virtio,$(L03GV_SRCS),$(L03B)))
$(L03B)/guest/virtio.bin: $(L03B)/guest/virtio.elf
