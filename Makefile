# SPDX-License-Identifier: GPL-2.0
#
# oomlens: top-level targets.  The module itself is built by Kbuild (see
# Kbuild); this file holds the user-facing targets:
#
#   make                 module + reader for the running kernel (or KVER=)
#   make deps            install the tools needed and unpack the test kernels
#                        and promtool into the cache (idempotent; the host's
#                        /boot, /lib/modules and services are left alone)
#   make check           every test on every test kernel, in QEMU
#   make check-debug     every test on a KASAN/lockdep/kmemleak 6.12 kernel
#                        with ftrace-based kprobes, the probe handlers' tests
#                        on one with int3-based kprobes (DEBUG_KERNELS)
#   make lint            the lint gates alone (checkpatch, sparse, W=1,
#                        clang-format, dkms, docs, shellcheck): scripts/lint/
#   make check-host      every host gate, no VM: the lint gates, the check
#                        of make deps (scripts/host-untouched.sh) and the
#                        reader's tests (selftests/reader/*.sh)
#   make docs            the HTML documentation into build/docs/
#   make man             the reader's man page, build/man/oomlens.8
#   make install         the reader, its man page and bash completion into
#                        DESTDIR/PREFIX (default /usr/local)
#   make format          rewrite the C files with the kernel's .clang-format
#   make run             boot the default test kernel, cause OOMs, show them
#   make shell           boot the default test kernel with a shell
#   make bench           measure oomlens against the kernel and a /proc scan
#   make fixtures        refresh the reader's fixtures captured from the test
#                        kernels (selftests/reader/captured/)
#   make deb             the Debian packages oomlens and oomlens-dkms, into
#                        build/deb/ (debhelper; scripts/deb.sh)
#   make check-system    the packages installed with dpkg in a debootstrap'ed
#                        Debian 12 guest with systemd, on each of KERNELS:
#                        DKMS, the boot-time load, the recorder's journal
#                        entries, an upgrade under the recorder, node_exporter
#                        (selftests/system/; not part of check: see
#                        Documentation/testing.rst)
#   make fuzz            fuzz the reader's parsers (libFuzzer) for FUZZ_SECONDS
#                        (default 600); crash inputs are kept as regressions
#   make clean
#   make distclean-cache remove the cache (OOMLENS_CACHE, /var/cache/oomlens):
#                        unpacked kernels and tools, the debug kernel
#
# Variables: KVER (kernel release to build for), KDIR (its headers),
# KERNEL (a test kernel: 6.1, 6.12 or a release; default for run/shell 6.12),
# KERNELS (the test matrix of check, default "6.1 6.12"), TESTS (a comma
# separated subset of the selftests), ARGS (module parameters in the VM),
# STRESS (short, the default: check's smaller stress counts; full: the
# programs' own, see Documentation/testing.rst).

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
KERNEL ?= 6.12
KERNELS ?= 6.1 6.12
TESTS ?=
ARGS ?=

BUILD := $(CURDIR)/build
MODSRC := Kbuild $(wildcard module/*.[ch] include/*.h)

.PHONY: all module reader deps check check-debug check-system check-host lint docs man format run shell bench fixtures deb fuzz \
	install clean distclean-cache vm-artifacts tests

all: module reader

module:
	@test -d "$(KDIR)" || { echo "No kernel headers for $(KVER) in $(KDIR)."; \
		echo "Install them (apt-get install linux-headers-$(KVER)) or pick one: make KVER=<release>"; \
		echo "Installed: $$(ls /usr/src | sed -n 's/^linux-headers-\(.*-amd64\)$$/\1/p' | tr '\n' ' ')"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

reader:
	$(MAKE) -C userspace

tests:
	$(MAKE) -C selftests BUILD=$(BUILD)

deps:
	@scripts/deps.sh

# The module for one test kernel, built out of the source tree so that
# several kernels' objects never mix, plus what every VM carries.
$(BUILD)/$(KVER)/mod/oomlens.ko: $(MODSRC)
	@rm -rf $(BUILD)/$(KVER)/mod
	@mkdir -p $(BUILD)/$(KVER)/mod
	@cp -a Kbuild module include $(BUILD)/$(KVER)/mod/
	@rc=0; $(MAKE) -s -C $(KDIR) M=$(BUILD)/$(KVER)/mod W=1 modules \
		>$(BUILD)/$(KVER)/mod/build.log 2>&1 || rc=$$?; \
	grep -v '^Skipping BTF generation' $(BUILD)/$(KVER)/mod/build.log; \
	if [ $$rc != 0 ] || grep -qiE 'warning:|error' $(BUILD)/$(KVER)/mod/build.log; then \
		echo "module build for $(KVER) failed or is not warning-free (W=1)"; \
		rm -f $@; exit 1; fi

vm-artifacts: $(BUILD)/$(KVER)/mod/oomlens.ko
	@$(MAKE) -s -C userspace static BUILD=$(BUILD)
	@$(MAKE) -s -C selftests BUILD=$(BUILD)

check: deps
	@scripts/check.sh $(KERNELS)

# The debug kernels (KASAN, lockdep, kmemleak, KFENCE, UBSAN), built once
# from linux-source-6.12 and cached (scripts/debug-kernel.sh): "debug" with
# kprobes on ftrace as on Debian's kernels runs the whole suite; "debug-int3"
# without the function tracer, where every kprobe is an int3 breakpoint and
# its handlers run in NMI context, runs the tests of the probe handlers
# (TESTS_INT3).  The stress tests run fewer cycles there.  The whole suite
# takes about 45 minutes on a debug kernel under TCG, over run-vm.sh's
# default limit of 25, and the OOM storm alone over the runner's 10 minutes
# per test program.  Each test's own timeout (a hang guard) is multiplied by
# OOMLENS_TIMEOUT_SCALE (default 3 here, 1 elsewhere): on 2026-12-03 the
# KASAN kernel ran test_tasks and test_predict 2-3 times slower than on
# 2026-12-02 and their 240 and 300 s ran out.  DEBUG_KERNELS picks the
# kernels.
DEBUG_KERNELS ?= debug debug-int3
TESTS_INT3 ?= test_load.sh,test_abi,test_notifier_oom,test_events_oom,test_events_storm,test_oom_storm_mixed,test_open_unload_race,test_events_nmi_context,test_stress_load.sh
check-debug: deps
	@HOST_TESTS=0 OOMLENS_VM_TIMEOUT=$${OOMLENS_VM_TIMEOUT:-5400} \
		OOMLENS_TEST_TIMEOUT=$${OOMLENS_TEST_TIMEOUT:-2400} \
		OOMLENS_VM_ENV=OOMLENS_LOAD_CYCLES=200,OOMLENS_TIMEOUT_SCALE=$${OOMLENS_TIMEOUT_SCALE:-3} \
		TESTS_INT3="$(TESTS_INT3)" \
		scripts/check.sh $(DEBUG_KERNELS)
check-system: deps
	@selftests/system/run-system.sh $(KERNELS)
lint: deps
	@scripts/check.sh --lint $(KERNELS)
check-host: deps
	@scripts/check.sh --host-only $(KERNELS)

docs:
	@command -v sphinx-build >/dev/null || { echo "sphinx-build missing: run 'make deps'"; exit 1; }
	sphinx-build -W -q -b html -d $(BUILD)/docs/.doctrees Documentation $(BUILD)/docs
	@echo "docs: $(BUILD)/docs/index.html"

# The reader's man page, from Documentation/oomlens.rst.
man:
	@command -v sphinx-build >/dev/null || { echo "sphinx-build missing: run 'make deps'"; exit 1; }
	sphinx-build -W -q -b man -d $(BUILD)/man/.doctrees Documentation $(BUILD)/man
	@echo "man: $(BUILD)/man/oomlens.8 (man -l $(BUILD)/man/oomlens.8)"

format:
	clang-format --style=file:$$(scripts/kernel-tools.sh)/.clang-format -i $$(scripts/format-files.sh)

run: deps
	@selftests/vm/run-vm.sh -k $(KERNEL) -j run $(if $(ARGS),-a "$(ARGS)")

fixtures: deps
	@scripts/capture-fixtures.sh $(KERNELS)

deb: deps
	@scripts/deb.sh

bench: deps
	@scripts/bench.sh $(KERNEL)

# A longer libFuzzer campaign than make check's 60 s; any crash input is
# saved under selftests/fuzz/regressions/<target>/, replayed by every later
# make check.
fuzz: deps
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-600} FUZZ_KEEP=1 selftests/reader/fuzz.sh

shell: deps
	@selftests/vm/run-vm.sh -k $(KERNEL) -j shell $(if $(ARGS),-a "$(ARGS)")

# The unpacked test kernels, promtool, the debug kernels and the system
# test's guest; make deps puts the first two back.
distclean-cache:
	rm -rf "$${OOMLENS_CACHE:-/var/cache/oomlens}"

# The reader, its man page and its bash completion (not the module: DKMS
# installs that, see the admin guide).  DESTDIR and PREFIX as usual.
PREFIX ?= /usr/local
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
install: reader man
	install -D -m 0755 userspace/oomlens $(DESTDIR)$(PREFIX)/sbin/oomlens
	install -D -m 0644 $(BUILD)/man/oomlens.8 $(DESTDIR)$(PREFIX)/share/man/man8/oomlens.8
	install -D -m 0644 userspace/completion/oomlens \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/oomlens
	install -D -m 0644 -t $(DESTDIR)$(SYSTEMDUNITDIR) \
		userspace/systemd/oomlens-export.service userspace/systemd/oomlens-export.timer \
		userspace/systemd/oomlens-record.service
	install -D -m 0644 userspace/prometheus/oomlens-alerts.yml \
		$(DESTDIR)$(PREFIX)/share/oomlens/oomlens-alerts.yml

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C userspace clean
	rm -rf $(BUILD)
	rm -f module/*.o module/.*.cmd
