# proot with ukcov's kcov extension (integrations/proot/, docs/embedding-proot.md),
# included by the top Makefile:
#   make proot PROOT_SRC=DIR        $(B)/integrations/proot/proot (counter mode),
#                                   proot-trace (trace mode), proot-upstream
#   make check-proot PROOT_SRC=DIR  tests/proot/run.sh (skipped without PROOT_SRC)
#   make bench PROOT_SRC=DIR        adds bench/proot.sh
# DIR is an upstream proot tree at the pinned commit (integrations/proot/fetch.sh).
PROOT_SRC ?=
PROOT_FILES := $(wildcard integrations/proot/*)

proot: $(B)/lib/libukcov.a $(PROOT_FILES)
	@test -n "$(PROOT_SRC)" || { echo "make proot: give PROOT_SRC=DIR, an upstream proot tree" \
		"(sh integrations/proot/fetch.sh DIR fetches the pinned commit)" >&2; exit 2; }
	$(Q)sh integrations/proot/build.sh "$(PROOT_SRC)" $(B)/integrations/proot $(B)

ifeq ($(PROOT_SRC),)
check-proot:
	@echo "check-proot: SKIP: no PROOT_SRC (sh integrations/proot/fetch.sh DIR; make check-proot PROOT_SRC=DIR)"
else
check-proot: all proot
	$(Q)sh tests/proot/run.sh $(B)
endif

.PHONY: proot check-proot
