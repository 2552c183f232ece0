# linux.mk: the kit's Linux 6.1 guest, built from Debian's linux-source-6.1
# with Debian's gcc-riscv64-linux-gnu (../../../../shared/REFERENCES.md,
# "Linux as a guest"): tinyconfig + kit.config, with init.c (nolibc, from
# the same source tree) embedded as the initramfs. Built once under
# $(BUILD)/linux and reused; only a change of kit.config or init.c rebuilds.
#
#   $(LINUX_IMAGE)   the kernel Image, an S-mode payload for 0x80200000
#   make linux       builds it (about 1 minute on 2 idle cores, the first time)

LINUX_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
LINUX_CROSS ?= riscv64-linux-gnu-
LINUX_D := $(L02)/guest/linux
LINUX_B := $(BUILD)/linux
LINUX_SRC := $(LINUX_B)/linux-source-6.1
LINUX_OBJ := $(LINUX_B)/obj
LINUX_IMAGE := $(LINUX_B)/Image
LINUX_INIT := $(LINUX_B)/init
# Kbuild with the kit's flags off: it has its own (-s: warnings and errors
# only; V=1 reaches Kbuild through MAKEFLAGS, and then it prints every command).
LINUX_MAKE = $(MAKE) $(if $(filter 1,$(V)),,-s) -C $(LINUX_SRC) O=$(abspath $(LINUX_OBJ)) ARCH=riscv \
	CROSS_COMPILE=$(LINUX_CROSS) KBUILD_BUILD_USER=kit KBUILD_BUILD_HOST=kit

.PHONY: linux linux-deps
linux: $(LINUX_IMAGE)
linux-deps:
	@common/scripts/deps.sh linux

$(LINUX_SRC)/Makefile: | linux-deps
	@mkdir -p $(LINUX_B)
	$(call kit_say,TAR,$(LINUX_TARBALL) (once))
	@test -r $(LINUX_TARBALL) || { echo "linux: $(LINUX_TARBALL) is missing: install linux-source-6.1 (common/scripts/deps.sh linux)" >&2; exit 1; }
	$(Q)rm -rf $(LINUX_SRC) && tar -xJf $(LINUX_TARBALL) -C $(LINUX_B) && touch $@

# tinyconfig, then the kit's fragment, then a fragment naming the initramfs
# list by absolute path (Kbuild resolves a relative one against its source).
$(LINUX_OBJ)/.config: $(LINUX_D)/kit.config $(LINUX_SRC)/Makefile
	@mkdir -p $(LINUX_OBJ)
	$(call kit_say,CONFIG,tinyconfig + $(LINUX_D)/kit.config)
	+$(Q)$(LINUX_MAKE) tinyconfig >/dev/null
	$(Q)echo 'CONFIG_INITRAMFS_SOURCE="$(abspath $(LINUX_B)/initramfs.list)"' >$(LINUX_B)/initramfs.config
	$(Q)cd $(LINUX_OBJ) && KCONFIG_CONFIG=.config $(abspath $(LINUX_SRC))/scripts/kconfig/merge_config.sh \
		-m -O . .config $(abspath $(LINUX_D)/kit.config) $(abspath $(LINUX_B)/initramfs.config) >/dev/null
	+$(Q)$(LINUX_MAKE) olddefconfig
	@# merge_config.sh only warns when a symbol did not take: make it an error
	@for l in $$(grep -h '^CONFIG_.*=y' $(LINUX_D)/kit.config); do \
		grep -qx "$$l" $@ || { echo "linux: $$l from kit.config did not take (a missing dependency?)" >&2; rm -f $@; exit 1; }; done

# The user-space API headers nolibc needs, from the same tree.
$(LINUX_OBJ)/usr/include/linux/types.h: $(LINUX_OBJ)/.config
	$(call kit_say,HDRS,$(LINUX_OBJ)/usr/include)
	+$(Q)$(LINUX_MAKE) headers
	@touch $@

LINUX_INIT_CFLAGS := -Os -static -nostdlib -nostdinc -fno-asynchronous-unwind-tables \
	-fno-ident -march=rv64imac_zicsr -mabi=lp64 -Wall -Wextra -Werror

# checks.h and kitcheck.h (the witness path) from the kit; include/ first:
# its stdint.h leaves the types to nolibc
$(LINUX_INIT): $(LINUX_D)/init.c $(LINUX_D)/checks.h $(LINUX_D)/include/stdint.h common/rt/include/kitcheck.h common/rt/include/kitdisk.h \
		$(LINUX_OBJ)/usr/include/linux/types.h
	$(call kit_say,CC,$< (nolibc))
	$(Q)$(LINUX_CROSS)gcc $(LINUX_INIT_CFLAGS) -I$(LINUX_D)/include -I$(LINUX_D) -Icommon/rt/include \
		-isystem $$($(LINUX_CROSS)gcc -print-file-name=include) \
		-include $(LINUX_SRC)/tools/include/nolibc/nolibc.h -I$(LINUX_SRC)/tools/include/nolibc \
		-I$(LINUX_OBJ)/usr/include -o $@ $< -lgcc
	$(Q)$(LINUX_CROSS)strip $@

# gen_init_cpio's list (usr/gen_init_cpio.c): /dev/console so that init has
# its standard descriptors, and init itself.
$(LINUX_B)/initramfs.list: $(LINUX_INIT)
	$(call kit_say,GEN,$@)
	$(Q)printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\nfile /init %s 0755 0 0\n' \
		"$(abspath $(LINUX_INIT))" >$@

# In a grading tree the grader copies the kit's Image in, with a marker
# (manifest `prebuilt`): it is final there, so each submission does not
# build Linux again (it holds no student code).
ifneq ($(wildcard $(LINUX_IMAGE).prebuilt),)
$(LINUX_IMAGE): ;
else
$(LINUX_IMAGE): $(LINUX_OBJ)/.config $(LINUX_B)/initramfs.list $(LINUX_INIT)
	$(call kit_say,LINUX,$@ (Kbuild))
	@# both name files by absolute path: a build tree copied or moved from
	@# elsewhere would quietly embed the other tree's init
	$(Q)want='CONFIG_INITRAMFS_SOURCE="$(abspath $(LINUX_B)/initramfs.list)"'; \
		grep -qxF "$$want" $(LINUX_OBJ)/.config || sed -i "s|^CONFIG_INITRAMFS_SOURCE=.*|$$want|" $(LINUX_OBJ)/.config
	$(Q)grep -qF "$(abspath $(LINUX_INIT))" $(LINUX_B)/initramfs.list || \
		printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\nfile /init %s 0755 0 0\n' \
		"$(abspath $(LINUX_INIT))" >$(LINUX_B)/initramfs.list
	@# under make -jN Kbuild shares the jobserver; alone it takes every core
	+$(Q)$(LINUX_MAKE) $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS)) Image
	$(Q)cp $(LINUX_OBJ)/arch/riscv/boot/Image $@
endif
