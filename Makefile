# coLinux: `make` builds the monitor and the guest kernel, `make test`
# runs every test, `make run` boots the default guest.
#
# Everything from outside is a Debian package (DEB_PACKAGES); the first
# goal installs the missing ones when run as root, else prints the line.

DEB_PACKAGES := gcc make linux-source-6.1 ccache flex bison bc cpio \
		busybox-static

CC ?= gcc
HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -Iinclude -Ihost \
	       -fno-omit-frame-pointer
HOST_LDLIBS := -lpthread

MONITOR_SRCS := host/cli/main.c host/cli/run.c host/cli/size.c \
		host/engine/elf_load.c host/engine/memory.c \
		host/engine/vcpu.c host/engine/host_ops.c
MONITOR_HDRS := $(wildcard host/*/*.h) include/colinux/passage.h

KERNEL_INPUTS := $(shell find kernel include/colinux -type f 2>/dev/null)

.PHONY: all deps kernel monitor test unit-test integration-test run clean \
	install

all: deps build/colinux build/vmlinux

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

clean:
	rm -rf build/colinux build/tests build/kernel build/vmlinux
