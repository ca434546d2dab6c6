/* SPDX-License-Identifier: GPL-2.0 */
/* virtio-rng: the guest's hardware random source is the host's getrandom. */
#ifndef COLINUX_VIRTIO_RNG_H
#define COLINUX_VIRTIO_RNG_H

#include "mmio.h"

struct virtio_device *rng_device(void);

#endif
