# grader.mk: the grader (build/grader/grader), `make grade`, `make dist`
# and the grader's own tests. See grader/README.md.

GRADER := $(BUILD)/grader/grader
GRADER_SRCS := $(wildcard grader/src/*.c)
GRADER_OBJS := $(GRADER_SRCS:%=$(BUILD)/host/%.o)
# everything but main.c, linked into the grader's unit tests
GRADER_LIB_OBJS := $(filter-out %/main.c.o,$(GRADER_OBJS))

$(GRADER): $(GRADER_OBJS)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ -lpthread

# make grade LAB=lab01 [SUBMISSION=dir]: grades the reference (the kit
# itself) or a student tree; reports under $(BUILD)/grade/$(LAB)/.
# a `sandbox vm` lab (lab04) also needs the VM's kernel and QEMU (deps.sh cgroup2)
grade_vm_deps = $(if $(filter vm,$(shell awk '$$1 == "sandbox" { print $$2 }' labs/$(LAB).manifest 2>/dev/null)),common/scripts/deps.sh cgroup2,true)
# the kit's own products a lab's trees take prebuilt (manifest `prebuilt`,
# lab02's Linux): built here once, then copied into every grading tree
grade_prebuilt = $(shell awk '$$1 == "prebuilt" { print $$2 }' labs/$(LAB).manifest 2>/dev/null)
grade_prebuild = $(if $(grade_prebuilt),$(MAKE) --no-print-directory $(grade_prebuilt),true)
grade: $(GRADER) deps
	@$(grade_vm_deps)
	@$(grade_prebuild)
	@$(GRADER) grade --lab $(LAB) $(if $(SUBMISSION),--submission '$(SUBMISSION)') --out $(BUILD)/grade/$(LAB)

# make dist LAB=lab01 DEST=dir [WITH_SOLUTION=1] [BASE=dir]: the student
# starter tree; BASE: the student's own tree of the labs LAB `uses`, whose
# student files it takes instead of the reference (grader/README.md).
dist: $(GRADER)
	@if [ -z '$(DEST)' ]; then echo "make dist: say where the tree goes: DEST=dir" >&2; exit 2; fi
	@$(GRADER) dist --lab $(LAB) --dest '$(DEST)' $(if $(filter-out 0,$(WITH_SOLUTION)),--with-solution) $(if $(BASE),--base '$(BASE)')

# make grade-all LAB=lab01 SUBMISSIONS=dir [JOBS=n]: every submission in dir
# (subdirectories or tarballs), in parallel; CSV and per-submission reports
# under $(BUILD)/grade-all/$(LAB)/.
grade-all: $(GRADER) deps
	@if [ -z '$(SUBMISSIONS)' ]; then echo "make grade-all: say where the submissions are: SUBMISSIONS=dir" >&2; exit 2; fi
	@$(grade_vm_deps)
	@$(grade_prebuild)
	@grader/scripts/grade-all.sh $(LAB) '$(SUBMISSIONS)' $(BUILD)/grade-all/$(LAB) $(JOBS)

# make gradescope LAB=lab01: the Gradescope autograder zip, $(BUILD)/gradescope/$(LAB).zip
gradescope: $(GRADER)
	@grader/scripts/gradescope.sh $(LAB) $(BUILD)/gradescope/$(LAB).zip "core riscv$(if $(filter lab04,$(LAB)), lab04 cgroup2)$(if $(filter lab02,$(LAB)), linux)"

# make bench-grader [LAB=lab01] [N=50]: time one grade and a batch of N
bench-grader: $(GRADER) deps
	@$(grade_prebuild)
	@grader/scripts/bench-grader.sh $(LAB) $(or $(N),50)

.PHONY: grade-all gradescope bench-grader

# The fixture lab (grader/tests/fixture): a tiny lab of the grader's own,
# so the grader is tested apart from the real labs. Absent from dist trees.
-include grader/tests/fixture/fixture.mk
# the two-lab fixture: fixup (upper/) uses fixbase (base/); their trees hold
# only their own lab.mk
-include $(wildcard grader/tests/fixture/*/lab.mk)

GRADER_TESTS := $(patsubst grader/tests/%.c,$(BUILD)/grader/tests/%,$(wildcard grader/tests/*.c))
# selfcheck_vm grades lab04 in its VMs (minutes under TCG): built always,
# run by make test only with LAB04_CGROUP2=1, as the cgroup v2 check
GRADER_VM_TEST := $(BUILD)/grader/tests/selfcheck_vm
$(BUILD)/grader/tests/%: HOST_EXTRA_CFLAGS += -Igrader/src
$(BUILD)/host/grader/tests/%: HOST_EXTRA_CFLAGS += -Igrader/src
$(BUILD)/grader/tests/%: $(BUILD)/host/grader/tests/%.c.o $(GRADER_LIB_OBJS) $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS) -lpthread

.PHONY: grader-tests
# the self-check runs the grader binary and grades the fixture lab
grader-tests: $(GRADER) $(GRADER_TESTS)
TEST_TARGETS += grader-tests
TEST_BINS += $(filter-out $(GRADER_VM_TEST),$(GRADER_TESTS))
ifeq ($(LAB04_CGROUP2),1)
TEST_BINS += $(GRADER_VM_TEST)
endif
