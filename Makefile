# SPDX-License-Identifier: GPL-2.0
#
# vmgw: build the module and tools, run the tests, show the demo.
#
#   make                 vmgw.ko for KDIR (default: Debian's 6.12 headers);
#                        the same as make -C KDIR M=$PWD
#   make vmgwctl         the userspace tool (tools/vmgwctl)
#   make cni             the CNI plugin (tools/cni)
#   make deps            install every Debian package the project needs
#   make test            every suite; last line "N passed, N failed"
#   make demo            the module at work in a QEMU guest
#   make kunit           KUnit under UML (add KUNIT_DEBUG=1 for the debug build)
#   make e2e SERIES=6.1  QEMU end-to-end suite on one Debian kernel
#   make check           W=1, sparse and -Werror builds for 6.12 and 6.1, checkpatch
#   make bench           benchmarks against TAP and passt in 3 boots of a
#                        QEMU guest (BENCH_BOOTS=1 for one; not in test)
#   make fuzz            libFuzzer on the classifier, DNS parser and
#                        virtqueue walker,
#                        FUZZ_TIME seconds each (default 600)
#   make test-debug      e2e suite on a KASAN/kmemleak/lockdep/UBSAN kernel
#                        built from Debian's 6.12 source (not in "make test")
#   make test-selftest   break the module and vmgwctl on purpose (patches on
#                        a copy of the tree) and show that their guarding
#                        e2e cases fail (not in "make test")
#   make netlink-gen     regenerate the netlink code from the YAML spec; fails
#                        when the committed files were stale
#   make deb             Debian packages vmgw-dkms and vmgwctl in .cache/deb
#                        (dpkg-buildpackage, then lintian)

T := tools/testing

# Lazily evaluated: the headers may only exist after "make deps".
KDIR ?= /lib/modules/$(shell bash -c '. $(T)/lib.sh && kver 6.12')/build

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

vmgwctl:
	$(MAKE) -C tools/vmgwctl

cni:
	$(MAKE) -C tools/cni

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

deps:
	$(T)/deps.sh

test: deps
	$(T)/run-tests.sh

demo: deps
	$(T)/demo.sh

kunit: deps
	$(T)/kunit/run.sh $(if $(KUNIT_DEBUG),--debug)

SERIES ?= 6.12
e2e: deps
	$(T)/e2e/run.sh $(SERIES)

check: deps
	$(T)/build-module.sh 6.12 > /dev/null
	$(T)/build-module.sh 6.1 > /dev/null
	$(T)/checkpatch.sh

test-selftest: deps
	$(T)/run-tests.sh --selftest

netlink-gen: deps
	$(T)/netlink-gen.sh

bench: deps
	$(T)/bench/run.sh $(SERIES)

test-debug: deps
	$(T)/debug-kernel/run.sh

# Only the build dependencies in debian/control, not "make deps": this is
# what a host that installs vmgw runs.
deb:
	$(T)/pkg/build-deb.sh

FUZZ_TIME ?= 600
fuzz: deps
	$(T)/fuzz/run.sh $(FUZZ_TIME)

.PHONY: all module vmgwctl cni clean deps test demo kunit e2e check netlink-gen bench \
	fuzz test-debug test-selftest deb
