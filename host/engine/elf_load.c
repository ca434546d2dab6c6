// SPDX-License-Identifier: GPL-2.0
/*
 * The guest kernel image: read a vmlinux ELF, check it from end to end,
 * then copy its PT_LOAD segments into guest RAM.
 *
 * The file is untrusted input. Every offset and size in it is checked
 * against the file and against the guest RAM window (COLINUX_PHYS_BASE up
 * to COLINUX_MEM_MAX above it) in kernel_image_open, before anything is
 * copied, so kernel_image_load never has to check again. Headers are
 * fetched with memcpy because nothing promises they are aligned. This file
 * never maps, runs or jumps into the image: that is the vCPU's business.
 */
#include "engine/elf_load.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <colinux/passage.h>

/* st_size always fits a size_t on the 64-bit hosts we run on. */
_Static_assert(sizeof(size_t) >= sizeof(uint64_t), "64-bit host only");

#define MIB		((uint64_t)1 << 20)
#define PHNUM_MAX	128

static void __attribute__((format(printf, 3, 4)))
img_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int read_whole_file(const char *path, struct kernel_image *img,
			   char *err, size_t errlen)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t size, done = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		img_err(err, errlen, "%s: cannot open: %s", path,
			strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		img_err(err, errlen, "%s: cannot stat: %s", path,
			strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		img_err(err, errlen,
			"%s: not a regular file (give the path of vmlinux)",
			path);
		goto out;
	}

	size = st.st_size;
	buf = malloc(size ? size : 1);
	if (!buf) {
		ret = -ENOMEM;
		img_err(err, errlen, "%s: no memory to read %zu bytes", path,
			size);
		goto out;
	}
	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			img_err(err, errlen, "%s: cannot read: %s", path,
				strerror(errno));
			goto out;
		}
		if (n == 0) {
			ret = -EIO;
			img_err(err, errlen,
				"%s: file shrank while being read (is the kernel being rebuilt?)",
				path);
			goto out;
		}
		done += n;
	}

	img->file = buf;
	img->file_size = size;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

static void get_phdr(const struct kernel_image *img, const Elf64_Ehdr *eh,
		     unsigned int i, Elf64_Phdr *ph)
{
	memcpy(ph, (const char *)img->file + eh->e_phoff +
	       (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

static int check_ehdr(const char *path, const struct kernel_image *img,
		      Elf64_Ehdr *eh, char *err, size_t errlen)
{
	uint64_t table;

	if (img->file_size < SELFMAG || memcmp(img->file, ELFMAG, SELFMAG)) {
		img_err(err, errlen,
			"%s: not an ELF file (build the kernel with `make kernel`)",
			path);
		return -ENOEXEC;
	}
	if (img->file_size < sizeof(*eh)) {
		img_err(err, errlen,
			"%s: truncated: %zu bytes, smaller than an ELF header",
			path, img->file_size);
		return -ENOEXEC;
	}
	memcpy(eh, img->file, sizeof(*eh));

	if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
		img_err(err, errlen,
			"%s: ELF class %u is not 64-bit: need an x86-64 vmlinux",
			path, eh->e_ident[EI_CLASS]);
		return -ENOEXEC;
	}
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		img_err(err, errlen,
			"%s: not a little-endian ELF file, not x86-64", path);
		return -ENOEXEC;
	}
	if (eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_version != EV_CURRENT) {
		img_err(err, errlen, "%s: unknown ELF version %u", path,
			eh->e_version);
		return -ENOEXEC;
	}
	if (eh->e_machine != EM_X86_64) {
		img_err(err, errlen, "%s: ELF for machine %u, not x86-64",
			path, eh->e_machine);
		return -ENOEXEC;
	}
	if (eh->e_type != ET_EXEC) {
		img_err(err, errlen,
			"%s: ELF type %u is not an executable (ET_EXEC): give vmlinux, not a module or object file",
			path, eh->e_type);
		return -ENOEXEC;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr)) {
		img_err(err, errlen,
			"%s: program header entries are %u bytes, expected %zu (corrupt file)",
			path, eh->e_phentsize, sizeof(Elf64_Phdr));
		return -ENOEXEC;
	}
	/*
	 * A vmlinux has a handful of segments. The cap keeps the overlap
	 * check below cheap, and also refuses PN_XNUM (the real count hidden
	 * in section 0).
	 */
	if (eh->e_phnum > PHNUM_MAX) {
		img_err(err, errlen,
			"%s: too many program headers (%u, at most %u; corrupt file?)",
			path, eh->e_phnum, PHNUM_MAX);
		return -ENOEXEC;
	}
	table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (eh->e_phoff > img->file_size ||
	    table > img->file_size - eh->e_phoff) {
		img_err(err, errlen,
			"%s: program header table (offset %" PRIu64 ", %u entries) lies outside the %zu-byte file (truncated or corrupt)",
			path, (uint64_t)eh->e_phoff, eh->e_phnum,
			img->file_size);
		return -ENOEXEC;
	}
	return 0;
}

/* The file bytes of segment i lie inside the file. */
static int check_file_range(const char *path, const struct kernel_image *img,
			    unsigned int i, const Elf64_Phdr *ph, char *err,
			    size_t errlen)
{
	uint64_t end;

	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &end)) {
		img_err(err, errlen,
			"%s: segment %u: offset 0x%" PRIx64 " + size 0x%" PRIx64 " overflows (corrupt file)",
			path, i, (uint64_t)ph->p_offset,
			(uint64_t)ph->p_filesz);
		return -ENOEXEC;
	}
	if (end > img->file_size) {
		img_err(err, errlen,
			"%s: truncated: segment %u needs bytes up to %" PRIu64 ", file has %zu",
			path, i, end, img->file_size);
		return -ENOEXEC;
	}
	return 0;
}

/* Segment i lands inside the guest RAM window. */
static int check_load_range(const char *path, unsigned int i,
			    const Elf64_Phdr *ph, char *err, size_t errlen)
{
	uint64_t end;

	if (ph->p_filesz > ph->p_memsz) {
		img_err(err, errlen,
			"%s: segment %u has %" PRIu64 " file bytes but only %" PRIu64 " memory bytes (corrupt file)",
			path, i, (uint64_t)ph->p_filesz,
			(uint64_t)ph->p_memsz);
		return -ENOEXEC;
	}
	if (ph->p_vaddr < COLINUX_PHYS_BASE) {
		img_err(err, errlen,
			"%s: segment %u is linked at 0x%" PRIx64 ", below guest RAM at 0x%llx: not a coLinux kernel",
			path, i, (uint64_t)ph->p_vaddr, COLINUX_PHYS_BASE);
		return -ENOEXEC;
	}
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &end) ||
	    end > COLINUX_PHYS_BASE + COLINUX_MEM_MAX) {
		img_err(err, errlen,
			"%s: segment %u (0x%" PRIx64 ", 0x%" PRIx64 " bytes) reaches past the end of the largest guest RAM at 0x%llx",
			path, i, (uint64_t)ph->p_vaddr, (uint64_t)ph->p_memsz,
			COLINUX_PHYS_BASE + COLINUX_MEM_MAX);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * Check every segment, and find load_end and whether the entry point lies
 * in the file bytes of an executable PT_LOAD.
 */
static int check_segments(const char *path, struct kernel_image *img,
			  const Elf64_Ehdr *eh, char *err, size_t errlen)
{
	bool have_load = false, entry_ok = false;
	Elf64_Phdr ph, prev;
	unsigned int i, j;
	int ret;

	for (i = 0; i < eh->e_phnum; i++) {
		get_phdr(img, eh, i, &ph);
		if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE)
			continue;
		ret = check_file_range(path, img, i, &ph, err, errlen);
		if (ret)
			return ret;
		if (ph.p_type != PT_LOAD)
			continue;
		ret = check_load_range(path, i, &ph, err, errlen);
		if (ret)
			return ret;

		/* A later segment's zeroed tail must not eat an earlier one. */
		for (j = 0; j < i && ph.p_memsz; j++) {
			get_phdr(img, eh, j, &prev);
			if (prev.p_type != PT_LOAD || !prev.p_memsz)
				continue;
			if (ph.p_vaddr < prev.p_vaddr + prev.p_memsz &&
			    prev.p_vaddr < ph.p_vaddr + ph.p_memsz) {
				img_err(err, errlen,
					"%s: segments %u and %u overlap (corrupt file)",
					path, j, i);
				return -ENOEXEC;
			}
		}

		have_load = true;
		if (ph.p_vaddr + ph.p_memsz - COLINUX_PHYS_BASE > img->load_end)
			img->load_end = ph.p_vaddr + ph.p_memsz -
					COLINUX_PHYS_BASE;
		if ((ph.p_flags & PF_X) && eh->e_entry >= ph.p_vaddr &&
		    eh->e_entry - ph.p_vaddr < ph.p_filesz)
			entry_ok = true;
	}

	if (!have_load) {
		img_err(err, errlen,
			"%s: no PT_LOAD segment: nothing to load (not a kernel image)",
			path);
		return -ENOEXEC;
	}
	if (!entry_ok) {
		img_err(err, errlen,
			"%s: entry point 0x%" PRIx64 " is not inside an executable segment (corrupt file)",
			path, (uint64_t)eh->e_entry);
		return -ENOEXEC;
	}
	img->entry = eh->e_entry;
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Walk the notes of PT_NOTE segment i (file range already checked). Returns
 * 1 with *version set if the passage note is there, 0 if not, or a
 * negative errno for a malformed note.
 */
static int scan_notes(const char *path, const struct kernel_image *img,
		      unsigned int i, const Elf64_Phdr *ph, uint32_t *version,
		      char *err, size_t errlen)
{
	const unsigned char *p = (const unsigned char *)img->file +
				 ph->p_offset;
	uint64_t left = ph->p_filesz;
	/* gABI notes are 4-aligned; GNU property notes come 8-aligned. */
	uint64_t align = ph->p_align == 8 ? 8 : 4;

	while (left >= sizeof(Elf64_Nhdr)) {
		const unsigned char *name = p + sizeof(Elf64_Nhdr), *desc;
		uint64_t desc_off, next;
		Elf64_Nhdr nh;

		memcpy(&nh, p, sizeof(nh));
		/* 32-bit sizes in 64-bit sums: nothing here can wrap. */
		desc_off = align_up(sizeof(nh) + (uint64_t)nh.n_namesz, align);
		if (desc_off > left || nh.n_descsz > left - desc_off) {
			img_err(err, errlen,
				"%s: segment %u: a note runs past the end of its segment (corrupt file)",
				path, i);
			return -ENOEXEC;
		}
		desc = p + desc_off;

		if (nh.n_namesz == sizeof(COLINUX_NOTE_NAME) &&
		    !memcmp(name, COLINUX_NOTE_NAME, nh.n_namesz) &&
		    nh.n_type == COLINUX_NOTE_PASSAGE) {
			if (nh.n_descsz != 4) {
				img_err(err, errlen,
					"%s: coLinux passage note holds %u bytes, expected 4 (corrupt file)",
					path, nh.n_descsz);
				return -ENOEXEC;
			}
			/* ELFDATA2LSB was checked: the note is little endian. */
			*version = desc[0] | desc[1] << 8 | desc[2] << 16 |
				   (uint32_t)desc[3] << 24;
			return 1;
		}

		/* The last note may omit its padding. */
		next = align_up(desc_off + nh.n_descsz, align);
		if (next > left)
			next = left;
		p += next;
		left -= next;
	}
	return 0;
}

static int check_passage(const char *path, struct kernel_image *img,
			 const Elf64_Ehdr *eh, char *err, size_t errlen)
{
	uint32_t version = 0;
	Elf64_Phdr ph;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < eh->e_phnum && !ret; i++) {
		get_phdr(img, eh, i, &ph);
		if (ph.p_type == PT_NOTE)
			ret = scan_notes(path, img, i, &ph, &version, err,
					 errlen);
	}
	if (ret < 0)
		return ret;
	if (!ret) {
		img_err(err, errlen,
			"%s: no coLinux passage note: not a coLinux kernel",
			path);
		return -ENOEXEC;
	}
	if (version != COLINUX_PASSAGE_VERSION) {
		img_err(err, errlen,
			"%s: kernel speaks passage version %u, this monitor speaks %u: rebuild both with `make`",
			path, version, COLINUX_PASSAGE_VERSION);
		return -ENOEXEC;
	}
	img->passage_version = version;
	return 0;
}

int kernel_image_open(const char *path, struct kernel_image *img, char *err,
		      size_t errlen)
{
	Elf64_Ehdr eh;
	int ret;

	memset(img, 0, sizeof(*img));
	ret = read_whole_file(path, img, err, errlen);
	if (ret)
		return ret;

	ret = check_ehdr(path, img, &eh, err, errlen);
	if (ret)
		goto out;
	ret = check_segments(path, img, &eh, err, errlen);
	if (ret)
		goto out;
	ret = check_passage(path, img, &eh, err, errlen);
out:
	if (ret)
		kernel_image_close(img);
	return ret;
}

int kernel_image_check_fits(const struct kernel_image *img, uint64_t mem_size,
			    char *err, size_t errlen)
{
	uint64_t need = (img->load_end + MIB - 1) / MIB;

	if (img->load_end <= mem_size)
		return 0;
	img_err(err, errlen,
		"kernel image needs %" PRIu64 " MiB, --mem gives only %" PRIu64 " MiB (use --mem %" PRIu64 "M or more)",
		need, mem_size / MIB, need);
	return -EINVAL;
}

void kernel_image_load(const struct kernel_image *img, void *ram)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned int i;

	memcpy(&eh, img->file, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		unsigned char *dst;

		get_phdr(img, &eh, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		dst = (unsigned char *)ram + (ph.p_vaddr - COLINUX_PHYS_BASE);
		memcpy(dst, (const char *)img->file + ph.p_offset,
		       ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
}

void kernel_image_close(struct kernel_image *img)
{
	free(img->file);
	memset(img, 0, sizeof(*img));
}
