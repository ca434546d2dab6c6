# coLinux: `make` builds the monitor and the guest kernel, `make test`
# runs every test, `make run` boots the default guest.
#
# Everything from outside is a Debian package (DEB_PACKAGES); the first
# goal installs the missing ones when run as root, else prints the line.

DEB_PACKAGES := gcc libc6-dev make linux-source-6.1 ccache flex bison bc cpio \
		busybox-static file liburing-dev e2fsprogs clang libclang-rt-14-dev

CC ?= gcc
HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -Iinclude -Ihost \
	       -fno-omit-frame-pointer
HOST_LDLIBS := -luring -lpthread

MONITOR_SRCS := host/cli/main.c host/cli/run.c host/cli/size.c \
		host/engine/elf_load.c host/engine/memory.c \
		host/engine/vcpu.c host/engine/host_ops.c host/engine/stubs.c \
		host/engine/console.c host/engine/devices.c host/engine/host_vdso.c \
		host/engine/sandbox.c \
		host/cli/image.c host/virtio/virtqueue.c host/virtio/mmio.c \
		host/virtio/blk_request.c host/virtio/blk.c host/virtio/rng.c \
		host/virtio/console.c

# The stub runs alone in each guest address space: no libc, no vector
# registers, linked at COLINUX_STUB_BASE.
STUB_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -Iinclude -ffreestanding \
	       -fno-stack-protector -fpie -mgeneral-regs-only \
	       -fno-asynchronous-unwind-tables -nostdlib -static -no-pie \
	       -Wl,-T,host/stub/stub.lds -Wl,--build-id=none
MONITOR_HDRS := $(wildcard host/*/*.h) include/colinux/passage.h

KERNEL_INPUTS := $(shell find kernel include/colinux -type f 2>/dev/null)

.PHONY: all deps kernel monitor test unit-test integration-test run clean \
	install

all: deps build/colinux build/colinux-stub build/vmlinux \
	build/initramfs.cpio.gz

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
		grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "deps: installing$$(printf ' %s' $$missing)"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y \
				$$missing >/dev/null || exit 1; \
		else \
			echo "deps: missing Debian packages; run:"; \
			echo "  sudo apt-get install$$(printf ' %s' $$missing)"; \
			exit 1; \
		fi; \
	fi

monitor: build/colinux
build/colinux: $(MONITOR_SRCS) $(MONITOR_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(MONITOR_SRCS) $(HOST_LDLIBS)

build/colinux-stub: host/stub/stub.c host/stub/stub_start.h host/stub/spin_wait.h host/stub/stub.lds include/colinux/passage.h
	@mkdir -p $(@D)
	$(CC) $(STUB_CFLAGS) -o $@ host/stub/stub.c

# The default guest image: busybox and our /init.
build/colinux-init: images/busybox/init.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -static -Wall -Wextra -Werror -o $@ $<

build/initramfs.cpio.gz: build/colinux-init images/busybox/profile \
		images/busybox/mkinitramfs.sh build/vmlinux
	images/busybox/mkinitramfs.sh $@

# build.sh is incremental itself; this rule only skips calling it.
kernel: build/vmlinux
build/vmlinux: $(KERNEL_INPUTS)
	./kernel/build.sh
	@touch $@

include tests/unit/Makefile.inc

test: all $(UNIT_TESTS)
	@tests/run $(UNIT_TESTS)

run: all
	build/colinux run

install: all
	install -D -m 755 build/colinux $(PREFIX)/bin/colinux
	install -D -m 644 build/vmlinux $(PREFIX)/lib/colinux/vmlinux
	install -D -m 755 build/colinux-stub $(PREFIX)/lib/colinux/colinux-stub
	install -D -m 644 build/initramfs.cpio.gz \
		$(PREFIX)/lib/colinux/initramfs.cpio.gz
	install -D -m 755 build/colinux-init $(PREFIX)/lib/colinux/colinux-init
	install -D -m 755 images/busybox/mkdisk.sh \
		$(PREFIX)/lib/colinux/mkdisk.sh
	install -D -m 644 images/busybox/profile $(PREFIX)/lib/colinux/profile

clean:
	rm -rf build/colinux build/colinux-stub build/tests build/kernel \
		build/vmlinux build/initramfs.cpio.gz
