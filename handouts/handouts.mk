# handouts/handouts.mk: `make handouts` builds every handout, in English and
# Korean, to one self-contained HTML page each (pandoc) and to PDF (headless
# Chromium prints the HTML), with the diagrams rendered from Graphviz.
#
#   handouts/diagrams/NAME.gv   one diagram, labels as {{English||한국어}}
#   handouts/en/PAGE.md         a handout; handouts/ko/PAGE.md its translation
#   build/handouts/LANG/PAGE.html, PAGE.pdf, diagrams/NAME.svg, NAME.png
#
# The build fails on a diagram that does not render, a missing image, a
# broken link, or code that names a repository file or make target that does
# not exist (handouts/check/hcheck.c states the rule).

HO := handouts
HOB := $(BUILD)/handouts
HO_LANGS := en ko
HO_DIAGRAMS := $(sort $(basename $(notdir $(wildcard $(HO)/diagrams/*.gv))))
HO_PAGES := $(sort $(basename $(notdir $(wildcard $(HO)/en/*.md))))
HO_GV := $(foreach l,$(HO_LANGS),$(HO_DIAGRAMS:%=$(HOB)/$(l)/diagrams/%.gv))
HO_SVG := $(HO_GV:.gv=.svg)
HO_PNG := $(HO_GV:.gv=.png)
HO_HTML := $(foreach l,$(HO_LANGS),$(HO_PAGES:%=$(HOB)/$(l)/%.html))
HO_PDF := $(HO_HTML:.html=.pdf)
HO_CSS := $(HO)/assets/handout.css
HO_CHECK := $(HOB)/hcheck

CHROMIUM ?= chromium
# As root Chromium needs --no-sandbox; the rest keeps it off the network.
HO_CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking --disable-component-update \
	--disable-sync
PANDOC ?= pandoc
HO_PANDOC_FLAGS := --standalone --self-contained --toc --toc-depth=2 \
	--highlight-style=tango --fail-if-warnings -f markdown -t html5 \
	--css=$(CURDIR)/$(HO_CSS)

# One diagram source gives one .gv per language (gvpp.sh), then SVG and PNG.
define ho_lang_rules
$(HOB)/$(1)/diagrams/%.gv: $(HO)/diagrams/%.gv $(HO)/diagrams/style.gvi $(HO)/diagrams/gvpp.sh
	@mkdir -p $$(@D)
	$(call kit_say,GEN,$$@)
	$(Q)$(HO)/diagrams/gvpp.sh $(1) $$< > $$@.tmp && mv $$@.tmp $$@

$(HOB)/$(1)/%.html: $(HO)/$(1)/%.md $(HO_CSS) $(filter $(HOB)/$(1)/%,$(HO_SVG))
	@mkdir -p $$(@D)
	$(call kit_say,PANDOC,$$@)
	$(Q)$(PANDOC) $(HO_PANDOC_FLAGS) --variable lang=$(1) \
		--resource-path=$(HOB)/$(1):$(HO)/$(1) -o $$@ $$<
endef
# The language goes to the page as a variable, not as metadata: pandoc
# 2.17 cannot parse its own Korean translation file.
$(foreach l,$(HO_LANGS),$(eval $(call ho_lang_rules,$(l))))

$(HOB)/%.svg: $(HOB)/%.gv
	$(call kit_say,DOT,$@)
	$(Q)dot -Tsvg -o $@ $<

$(HOB)/%.png: $(HOB)/%.gv
	$(call kit_say,DOT,$@)
	$(Q)dot -Tpng -Gdpi=144 -o $@ $<

# Chromium prints the HTML page (its SVG diagrams stay vector, Hangul is
# shaped by the same fonts as on screen). A fresh profile per run.
$(HOB)/%.pdf: $(HOB)/%.html
	$(call kit_say,PDF,$@)
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	timeout 120 $(CHROMIUM) $(HO_CHROMIUM_FLAGS) --user-data-dir="$$d" \
		--no-pdf-header-footer --print-to-pdf="$(abspath $@)" \
		"file://$(abspath $<)" >"$$d/log" 2>&1 || { cat "$$d/log" >&2; exit 1; }
	@test -s $@ || { echo "handouts: Chromium wrote no $@" >&2; exit 1; }

# A student's tree (make dist) holds only its own lab's handout. Each other
# lab of labs/sequence gets a stand-in page, so that the overview's links to
# it lead to a page saying the handout comes with its lab, not to nothing.
HO_ABSENT := $(filter-out $(HO_PAGES),$(shell cat labs/sequence 2>/dev/null))
HO_STANDIN := $(foreach l,$(HO_LANGS),$(HO_ABSENT:%=$(HOB)/$(l)/%.html))
ho_standin_text = $(if $(filter ko,$(1)),$(2) 핸드아웃은 그 랩을 받을 때 함께 받는다.,The $(2) handout comes with that lab.)
$(HO_STANDIN): $(HO_CSS)
	@mkdir -p $(@D)
	$(call kit_say,PANDOC,$@)
	$(Q)printf '%% %s\n\n%s\n' "$(notdir $(basename $@))" \
		"$(call ho_standin_text,$(notdir $(@D)),$(notdir $(basename $@)))" | \
		$(PANDOC) $(filter-out --toc --toc-depth=2,$(HO_PANDOC_FLAGS)) \
		--variable lang=$(notdir $(@D)) -o $@

# The checker (also linked into the tests) and its inputs: the make database
# of this tree, for `make TARGET` and LAB=labNN in the handouts' code.
HO_CHECK_SRCS := $(HO)/check/hcheck.c
$(HO_CHECK): $(BUILD)/host/$(HO)/check/main.c.o $(HO_CHECK_SRCS:%=$(BUILD)/host/%.o)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^

$(HOB)/make-db.txt: Makefile $(wildcard common/mk/*.mk lab*/lab.mk lab*/*/*.mk grader/*.mk) $(HO)/handouts.mk
	@mkdir -p $(@D)
	$(call kit_say,GEN,$@)
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $(MAKE) -pq -C $(CURDIR) help > $@.tmp 2>/dev/null; \
		grep -q '^LABS ' $@.tmp && mv $@.tmp $@

# The Korean glossary holds the list of retired Korean words (hcheck.h).
HO_GLOSSARY_KO := $(HO)/ko/glossary.md
$(HOB)/check.stamp: $(HO_CHECK) $(HOB)/make-db.txt $(HO_HTML) $(HO_STANDIN) $(wildcard $(HO)/*/*.md $(HO)/diagrams/*.gv)
	$(call kit_say,CHECK,$(HO))
	$(Q)$(HO_CHECK) --root . --make-db $(HOB)/make-db.txt --glossary $(HO_GLOSSARY_KO) \
		$(foreach l,$(HO_LANGS),$(HO_PAGES:%=$(HO)/$(l)/%.md)) $(HO_HTML) \
		$(HO_DIAGRAMS:%=$(HO)/diagrams/%.gv)
	@touch $@

# The top README shows two diagrams; GitHub cannot render Graphviz, so
# their English SVGs are kept in the repository (a test checks that they
# match their sources): refresh them with `make handouts-readme`.
HO_README_SVG := kit-stack stacks
handouts-readme: $(HO_README_SVG:%=$(HOB)/en/diagrams/%.svg)
	@mkdir -p $(HO)/readme
	$(call kit_say,CP,$(HO)/readme/)
	$(Q)cp $^ $(HO)/readme/

.PHONY: handouts handouts-build handouts-html handouts-tests handouts-readme
handouts-html: $(HO_SVG) $(HO_PNG) $(HO_HTML) $(HO_STANDIN) $(HOB)/check.stamp
handouts-build: handouts-html $(HO_PDF)
	@echo "handouts: $(words $(HO_HTML)) HTML pages and PDFs under $(HOB)/ (start at $(HOB)/en/overview.html)"
# `make handouts` on its own first installs what it needs (deps.sh group).
handouts:
	@common/scripts/deps.sh handouts
	@$(MAKE) --no-print-directory handouts-build

# Tests: the checker on the real handouts and on broken fixtures, every page
# in headless Chromium (images loaded, no console errors, one screenshot).
# A student tree (make dist) has no handouts/tests: there `make test` runs
# the lab's tests only, and `make handouts` still builds the pages.
ifneq ($(wildcard $(HO)/tests/test_handouts.c),)
HO_TEST := $(HOB)/tests/test_handouts
$(BUILD)/host/$(HO)/tests/%: HOST_EXTRA_CFLAGS += -I$(HO)/check
$(HO_TEST): $(BUILD)/host/$(HO)/tests/test_handouts.c.o $(HO_CHECK_SRCS:%=$(BUILD)/host/%.o) $(KIT_TEST_LIB)
	@mkdir -p $(@D)
	$(call kit_say,HOSTLD,$@)
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)

handouts-tests: $(HO_TEST) handouts-build
TEST_TARGETS += handouts-tests
TEST_BINS += $(HO_TEST)
DEPS_GROUPS += handouts
endif
