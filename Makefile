# The layered virtualization lab kit. `make help` lists the targets.
#
# Each lab adds itself through <lab>/lab.mk, which appends to LABS and
# TEST_BINS and defines <lab>-build, <lab>-tests, <lab>-qemu, <lab>-run,
# <lab>-bench ... The commands below dispatch on LAB=labNN.

.DEFAULT_GOAL := help
SHELL := /bin/bash
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:

LABS :=
TEST_BINS :=
RUN_TARGETS :=
# Targets that build test binaries (fragments append: grader-tests, ...)
TEST_TARGETS := common-tests
# deps.sh groups `make deps` installs (fragments append: handouts, lab04)
DEPS_GROUPS := core riscv

include common/mk/config.mk
include common/mk/rules.mk
include common/mk/common-tests.mk
-include common/mk/qemu.mk
-include common/mk/ptdump.mk
include $(sort $(wildcard lab*/lab.mk))
-include grader/grader.mk
-include handouts/handouts.mk

LAB ?= lab01
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: help deps run test build tests qemu qemu-gdb gdb ptdump grade dist bench clean grade-all gradescope bench-grader

help:
	@echo "Two commands do everything:"
	@echo "  make run                  build the reference labs and show them working"
	@echo "  make test                 run every test (host, QEMU, grader self-check)"
	@echo "Per lab (LAB=lab01 ... lab04; labs here: $(LABS)):"
	@echo "  make qemu LAB=lab01 [GUEST=name|uboot|path]   boot the VMM and a guest on this terminal"
	@echo "  make qemu-gdb LAB=lab01   the same, stopped for gdb; then 'make gdb' in another terminal"
	@echo "  make ptdump LAB=lab02 GUEST=paging AT=proc_trap [MODE=shadow|nested]  the guest's page table and the VMM's, as an SVG"
	@echo "  make grade LAB=lab01 [SUBMISSION=dir]          grade the reference or a student tree"
	@echo "  make dist LAB=lab01 DEST=dir [WITH_SOLUTION=1] [BASE=dir] write the student starter tree"
	@echo "  make grade-all LAB=lab01 SUBMISSIONS=dir  grade a class (CSV, one report each)"
	@echo "  make gradescope LAB=lab01 the Gradescope autograder zip"
	@echo "  make bench-grader [N=50]  how long grading takes here"
	@echo "  make bench LAB=lab01      print overhead figures (instructions, exits)"
	@echo "  make handouts             the handouts (HTML, PDF) under build/handouts/"
	@echo "  make lab04-cgroup2        lab04's tests on a cgroup v2 kernel in a VM (~1 min)"
	@echo "  make linux                the kit's Linux 6.1 guest, build/linux/Image (lab02; ~1 min the first time)"
	@echo "  make test LAB04_CGROUP2=1 every test, that one included (what CI runs)"
	@echo "  make compile_commands.json   for editors (clangd)"
	@echo "  make clean"

# Installs what the kit needs (Debian packages), as root or through sudo.
deps:
	@common/scripts/deps.sh $(DEPS_GROUPS)

build: deps
	@$(MAKE) --no-print-directory $(LABS:%=%-build)

tests: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(TEST_TARGETS) $(LABS:%=%-tests)

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(LABS:%=%-build)
	@set -e; for t in $(RUN_TARGETS); do $(MAKE) --no-print-directory $$t; done

test: tests
	@common/scripts/run-tests.sh $(TEST_BINS)

# Each dispatches to $(LAB)-<target>; a lab without one (lab04 has no
# qemu) or an unknown LAB gets a line saying so, not make's "No rule".
# The check reads make's database (-p) for a goal that does not exist, so
# it runs no recipe: `make -n <target>` would still run the recursive make
# lines (Kbuild's) and fail on a fresh tree for want of what they need.
kit_has_target = $(MAKE) -pq --no-print-directory __kit_no_goal__ 2>/dev/null | grep -q '^$(LAB)-$(1):' || \
	{ echo "make $(1): LAB=$(LAB) has no '$(1)' (labs here: $(LABS); see make help)" >&2; exit 2; }

qemu qemu-gdb bench ptdump: deps
	@$(call kit_has_target,$@)
	@$(MAKE) --no-print-directory $(LAB)-$@

gdb:
	@$(call kit_has_target,gdb)
	@$(MAKE) --no-print-directory $(LAB)-gdb

compile_commands.json:
	$(call kit_say,GEN,$@)
	@common/scripts/compile-commands.sh > $@

clean:
	$(call kit_say,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)
