# lab04-cgroup2: lab04's tests on a cgroup v2 (unified) kernel. The kit's
# machine is cgroup v1/hybrid, where v2 has no controllers; this boots
# Debian's own x86-64 kernel in qemu-system-x86_64 (KVM if it can, else TCG)
# with an initramfs of busybox, minictr, the rootfs and the test binaries,
# whose init mounts cgroup2 (nsdelegate), enables memory, pids and cpu, runs
# every lab04 test binary and powers off. Exits non-zero on any failure.
#
# cgroup2/mkinitramfs.sh   builds $(L04B)/cgroup2/initramfs.cpio.gz
# cgroup2/init             PID 1 in the VM
# cgroup2/run.sh           boots it, keeps the console in $(L04B)/cgroup2/console.log
# Included by lab.mk; needs deps.sh group cgroup2 (installed on first use).

L04_CG2 := $(L04B)/cgroup2

$(L04_CG2)/initramfs.cpio.gz: $(L04)/cgroup2/mkinitramfs.sh $(L04)/cgroup2/init \
		$(L04B)/minictr $(L04_ROOTFS) $(L04_TESTS) $(L04_UNIT) | lab04-cgroup2-deps
	@mkdir -p $(@D)
	$(call kit_say,GEN,$@)
	$(Q)$(L04)/cgroup2/mkinitramfs.sh $@ $(L04B)

.PHONY: lab04-cgroup2 lab04-cgroup2-deps
lab04-cgroup2-deps:
	@common/scripts/deps.sh cgroup2

lab04-cgroup2: $(L04_CG2)/initramfs.cpio.gz
	@$(L04)/cgroup2/run.sh $< $(L04_CG2)/console.log

# The same check as a Criterion binary (suite cgroup2), for make test. It
# adds about 70 s (plus up to CGROUP2_KVM_WAIT where KVM hangs) and installs
# a kernel package on first use, so make test runs it only when asked:
#   make test LAB04_CGROUP2=1
L04_CG2_TEST := $(L04_CG2)/test_cgroup2
$(L04_CG2_TEST): $(BUILD)/host/$(L04)/cgroup2/test_cgroup2.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

.PHONY: lab04-cgroup2-tests
lab04-cgroup2-tests: $(L04_CG2)/initramfs.cpio.gz $(L04_CG2_TEST)

ifeq ($(LAB04_CGROUP2),1)
TEST_TARGETS += lab04-cgroup2-tests
TEST_BINS += $(L04_CG2_TEST)
endif
