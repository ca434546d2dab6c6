/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel image (vmlinux): read and check it, then copy it into
 * guest RAM. kernel_image_open does all the checking, so that
 * kernel_image_load can copy without a second thought.
 */
#ifndef COLINUX_ENGINE_ELF_LOAD_H
#define COLINUX_ENGINE_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

struct kernel_image {
	void *file;		/* whole file contents, malloc'd */
	size_t file_size;
	uint64_t entry;		/* e_entry, a monitor virtual address */
	uint64_t load_end;	/* guest-physical end of the highest PT_LOAD */
	uint32_t passage_version; /* from the "coLinux" PT_NOTE */
};

/*
 * Read path and check it is an x86-64 ET_EXEC whose segments all fit the
 * guest RAM window and whose passage note matches this monitor. Returns 0,
 * or a negative errno with a message naming path in err; on failure img
 * holds nothing to close.
 */
int kernel_image_open(const char *path, struct kernel_image *img, char *err,
		      size_t errlen);

/* 0 if the image fits in mem_size bytes of guest RAM, else -EINVAL. */
int kernel_image_check_fits(const struct kernel_image *img, uint64_t mem_size,
			    char *err, size_t errlen);

/*
 * Copy each PT_LOAD to ram + (p_vaddr - COLINUX_PHYS_BASE) and zero its
 * p_memsz - p_filesz tail. ram must hold at least img->load_end bytes
 * (see kernel_image_check_fits).
 */
void kernel_image_load(const struct kernel_image *img, void *ram);

void kernel_image_close(struct kernel_image *img);

#endif /* COLINUX_ENGINE_ELF_LOAD_H */
