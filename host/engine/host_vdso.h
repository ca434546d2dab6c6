/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's vDSO, as the stubs move it to COLINUX_STUB_HOST_VDSO so the
 * guest's vDSO can read the host clock without a trap (passage.h).
 */
#ifndef COLINUX_ENGINE_HOST_VDSO_H
#define COLINUX_ENGINE_HOST_VDSO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Describe the host vDSO and its data mappings (from /proc/self/maps,
 * the same in every process of this host kernel) for the stubs, as
 * "PRE;REL:LEN;REL:LEN..." in hex: the block starts PRE bytes below the
 * vDSO's base, and each mapping REL bytes into the block. Returns the
 * address clock_gettime will have in every stub, or 0 (with why set) if
 * the layout is not one we can move: the guest then makes system calls.
 */
uint64_t host_vdso_layout(char *arg, size_t cap, const char **why);

/* Address of symbol name in the ELF image at base (len bytes), or 0. */
uint64_t host_vdso_symbol(const uint8_t *base, size_t len, const char *name);

#endif
