# lab04-containers: minictr, a Linux container runtime (native, not QEMU).
#
# minictr/*.c      the runtime (solution regions: namespaces.c, rootfs.c,
#                  fs.c, cgroup.c, security.c, init.c)
# mkrootfs.sh      a busybox-static root file system: build/lab04/rootfs
# tests/test_*.c   one Criterion binary each, running containers (need
#                  root); helpers ctr.c, and kitprobe.c: the static probe
#                  put into the rootfs
# tests/unit_*.c   Criterion binaries on the runtime's files, no root
# demo.sh, bench.sh  make run's step and make bench LAB=lab04
# benchvm/         make lab04-bench-cgroup2: bench.sh inside the cgroup v2 VM

LABS += lab04
DEPS_GROUPS += lab04
L04 := lab04-containers
L04B := $(BUILD)/lab04

L04_SRCS := $(wildcard $(L04)/minictr/*.c)
L04_TESTS := $(patsubst $(L04)/tests/%.c,$(L04B)/tests/%,$(wildcard $(L04)/tests/test_*.c))
L04_UNIT := $(patsubst $(L04)/tests/%.c,$(L04B)/tests/%,$(wildcard $(L04)/tests/unit_*.c))
L04_ROOTFS := $(L04B)/rootfs/bin/kitprobe

# Static: no loading and relocating of libseccomp, libcap and libc at every
# start (about 0.35 ms of a 5 ms container start, make bench LAB=lab04).
$(L04B)/minictr: $(L04_SRCS:%=$(BUILD)/host/%.o)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -static -o $@ $^ -lseccomp -lcap

# The probe runs inside the container, where there is no libc: static.
$(L04B)/kitprobe: $(BUILD)/host/$(L04)/tests/kitprobe.c.o
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -static -o $@ $^

$(L04_ROOTFS): $(L04)/mkrootfs.sh $(L04B)/kitprobe
	@mkdir -p $(L04B)
	$(call kit_say,GEN,$(L04B)/rootfs)
	$(Q)$(L04)/mkrootfs.sh $(L04B)/rootfs $(L04B)/kitprobe

$(L04B)/tests/test_%: $(BUILD)/host/$(L04)/tests/test_%.c.o $(BUILD)/host/$(L04)/tests/ctr.c.o $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

# Unit tests: the runtime's pure parts on plain files, no root needed. The
# test links stubs (tests/cgroup_stubs.c); the student's cgroup.c runs in
# tests/cgroup_runner, a process of its own started for every call, which
# holds no verdict (grader/README.md, "Points cannot be forged").
L04_UNIT_OBJS := $(patsubst %,$(BUILD)/host/$(L04)/minictr/%.c.o,cgroup devices rootfs log files)
L04_CG_RUNNER := $(L04B)/tests/cgroup_runner
$(BUILD)/host/$(L04)/tests/unit_%: HOST_EXTRA_CFLAGS += -I$(L04)/minictr
$(BUILD)/host/$(L04)/tests/cgroup_%: HOST_EXTRA_CFLAGS += -I$(L04)/minictr
$(L04_CG_RUNNER): $(BUILD)/host/$(L04)/tests/cgroup_runner.c.o $(L04_UNIT_OBJS)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^
$(L04B)/tests/unit_%: $(BUILD)/host/$(L04)/tests/unit_%.c.o $(BUILD)/host/$(L04)/tests/cgroup_stubs.c.o \
		$(KIT_TEST_LIB) | $(L04_CG_RUNNER)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $(filter %.o %.a,$^) $(HOST_LDLIBS)

.PHONY: lab04-build lab04-tests lab04-run lab04-bench lab04-qemu lab04-qemu-gdb lab04-gdb
lab04-build: $(L04B)/minictr $(L04_ROOTFS)
lab04-tests: lab04-build $(L04_TESTS) $(L04_UNIT) $(L04_CG_RUNNER)
TEST_BINS += $(L04_UNIT) $(L04_TESTS)
RUN_TARGETS += lab04-run

lab04-run: lab04-build
	@$(L04)/demo.sh $(L04B)/minictr $(L04B)/rootfs

lab04-bench: lab04-build
	@common/scripts/deps.sh bench
	@$(L04)/bench.sh $(L04B)/minictr $(L04B)/rootfs

lab04-qemu lab04-qemu-gdb lab04-gdb:
	@echo "lab04 runs on this machine's own kernel, not in QEMU: try make run, or" >&2
	@echo "  sudo $(L04B)/minictr run --rootfs $(L04B)/rootfs -- sh" >&2
	@exit 2

# lab04 graded in a throwaway VM (the grader's `sandbox vm`)
-include $(L04)/vm/vm.mk

# lab04 tests on a cgroup v2 kernel in a VM (make lab04-cgroup2)
-include $(L04)/cgroup2/cgroup2.mk

# The start-up bench on that cgroup v2 kernel: its initramfs plus bench.sh,
# bash, bwrap and runc, booted with rdinit=/bench-init (RUNS=30 by default).
.PHONY: lab04-bench-cgroup2
lab04-bench-cgroup2: $(L04B)/cgroup2/initramfs.cpio.gz
	@common/scripts/deps.sh bench
	@$(L04)/benchvm/run.sh $< $(L04B)/cgroup2 $${RUNS:-30}
