// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for host/engine/elf_load.c. Each test builds a small kernel ELF in
 * memory (header, program headers, notes, a text and a data segment),
 * bends one thing in it, writes it to a temporary file and checks that
 * kernel_image_open accepts it or refuses it with the right message. The
 * last test flips bytes of the headers wholesale to show nothing crashes.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <colinux/passage.h>
#include "engine/elf_load.h"
#include "check.h"

/* File layout of the built image. */
#define PH_OFF		sizeof(Elf64_Ehdr)
#define MAX_PH		4
#define NOTE_OFF	0x200
#define NOTE_MAX	0x100
#define TEXT_OFF	0x400
#define TEXT_LEN	0x100
#define DATA_OFF	0x500
#define DATA_LEN	0x80
#define FILE_LEN	0x580

/* Where it lands: text at phys 0x1000, data+bss at phys 0x2000-0x3000. */
#define TEXT_VA		(COLINUX_PHYS_BASE + 0x1000)
#define DATA_VA		(COLINUX_PHYS_BASE + 0x2000)
#define DATA_MEMSZ	0x1000
#define ENTRY		(TEXT_VA + 0x10)
#define LOAD_END	0x3000

struct elf_spec {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PH];
	unsigned char note[NOTE_MAX];
	size_t note_len;
	size_t file_len;	/* bytes written: less truncates */
};

static char path[256];
static char err[512];
static struct kernel_image img;

static uint8_t text_byte(size_t i)
{
	return 0xc0 + (i % 61);
}

static uint8_t data_byte(size_t i)
{
	return 1 + (i % 251);
}

/* Append a note; align is 4 (gABI) or 8 (GNU property style). */
static void note_add(struct elf_spec *s, const void *name, uint32_t namesz,
		     uint32_t type, const void *desc, uint32_t descsz,
		     size_t align)
{
	Elf64_Nhdr nh = { namesz, descsz, type };
	size_t off = s->note_len;

	memcpy(s->note + off, &nh, sizeof(nh));
	memcpy(s->note + off + sizeof(nh), name, namesz);
	off = (off + sizeof(nh) + namesz + align - 1) & ~(align - 1);
	memcpy(s->note + off, desc, descsz);
	off = (off + descsz + align - 1) & ~(align - 1);
	s->note_len = off;
}

static void note_passage(struct elf_spec *s, uint32_t version, size_t align)
{
	uint8_t v[4] = { version, version >> 8, version >> 16, version >> 24 };

	note_add(s, "coLinux", 8, COLINUX_NOTE_PASSAGE, v, 4, align);
}

static void note_build_id(struct elf_spec *s)
{
	static const uint8_t id[20] = { 0xde, 0xad, 0xbe, 0xef };

	note_add(s, "GNU", 4, NT_GNU_BUILD_ID, id, sizeof(id), 4);
}

/* Point the PT_NOTE at whatever notes s holds now. */
static void note_seal(struct elf_spec *s)
{
	s->ph[2].p_filesz = s->note_len;
	s->ph[2].p_memsz = s->note_len;
}

static void spec_init(struct elf_spec *s)
{
	Elf64_Ehdr *eh = &s->eh;

	memset(s, 0, sizeof(*s));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = ENTRY;
	eh->e_phoff = PH_OFF;
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 3;

	s->ph[0] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = TEXT_OFF, .p_vaddr = TEXT_VA,
		.p_paddr = TEXT_VA - COLINUX_PHYS_BASE,
		.p_filesz = TEXT_LEN, .p_memsz = TEXT_LEN, .p_align = 0x1000,
	};
	s->ph[1] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = DATA_OFF, .p_vaddr = DATA_VA,
		.p_paddr = DATA_VA - COLINUX_PHYS_BASE,
		.p_filesz = DATA_LEN, .p_memsz = DATA_MEMSZ, .p_align = 0x1000,
	};
	s->ph[2] = (Elf64_Phdr){
		.p_type = PT_NOTE, .p_flags = PF_R,
		.p_offset = NOTE_OFF, .p_align = 4,
	};
	/* A foreign note first, so the walk has to step over it. */
	note_build_id(s);
	note_passage(s, COLINUX_PASSAGE_VERSION, 4);
	note_seal(s);
	s->file_len = FILE_LEN;
}

/* Lay the spec out as file bytes; buf holds FILE_LEN. */
static void spec_build(const struct elf_spec *s, unsigned char *buf)
{
	size_t i;

	memset(buf, 0, FILE_LEN);
	memcpy(buf, &s->eh, sizeof(s->eh));
	memcpy(buf + PH_OFF, s->ph, sizeof(s->ph));
	memcpy(buf + NOTE_OFF, s->note, s->note_len);
	for (i = 0; i < TEXT_LEN; i++)
		buf[TEXT_OFF + i] = text_byte(i);
	for (i = 0; i < DATA_LEN; i++)
		buf[DATA_OFF + i] = data_byte(i);
}

/* Write len bytes to a fresh temp file named in path; 0 or -1. */
static int write_temp(const void *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	size_t done = 0;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/colinux-elf-test-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n <= 0) {
			perror(path);
			close(fd);
			unlink(path);
			return -1;
		}
		done += n;
	}
	close(fd);
	return 0;
}

/* Open len bytes of buf as a kernel image; the file is gone afterwards. */
static int open_buf(const void *buf, size_t len)
{
	int ret;

	err[0] = 0;
	if (write_temp(buf, len))
		return -9999;
	ret = kernel_image_open(path, &img, err, sizeof(err));
	unlink(path);
	return ret;
}

static int open_spec(const struct elf_spec *s)
{
	unsigned char buf[FILE_LEN];

	spec_build(s, buf);
	return open_buf(buf, s->file_len);
}

/* A refusal: -ENOEXEC, nothing left open, the path and key in err. */
#define CHECK_BAD(spec, key)					\
	do {							\
		CHECK(open_spec(spec) == -ENOEXEC);		\
		CHECK(img.file == NULL);			\
		CHECK_HAS(err, path);				\
		CHECK_HAS(err, key);				\
		kernel_image_close(&img);			\
	} while (0)

TEST(good_image)
{
	struct elf_spec s;

	spec_init(&s);
	REQUIRE(open_spec(&s) == 0);
	CHECK(img.file != NULL);
	CHECK(img.file_size == FILE_LEN);
	CHECK(img.entry == ENTRY);
	CHECK(img.load_end == LOAD_END);
	CHECK(img.passage_version == COLINUX_PASSAGE_VERSION);
	kernel_image_close(&img);
	CHECK(img.file == NULL);
	CHECK(img.file_size == 0);
}

TEST(load_places_bytes_and_zeroes_bss)
{
	struct elf_spec s;
	unsigned char *ram;
	size_t i, bad_text = 0, bad_data = 0, bad_bss = 0, bad_rest = 0;

	spec_init(&s);
	REQUIRE(open_spec(&s) == 0);
	ram = malloc(LOAD_END + 0x1000);
	REQUIRE(ram);
	memset(ram, 0xaa, LOAD_END + 0x1000);
	kernel_image_load(&img, ram);

	for (i = 0; i < TEXT_LEN; i++)
		bad_text += ram[0x1000 + i] != text_byte(i);
	for (i = 0; i < DATA_LEN; i++)
		bad_data += ram[0x2000 + i] != data_byte(i);
	for (i = 0x2000 + DATA_LEN; i < LOAD_END; i++)
		bad_bss += ram[i] != 0;
	/* Nothing outside the segments is touched. */
	for (i = 0; i < 0x1000; i++)
		bad_rest += ram[i] != 0xaa;
	for (i = 0x1000 + TEXT_LEN; i < 0x2000; i++)
		bad_rest += ram[i] != 0xaa;
	for (i = LOAD_END; i < LOAD_END + 0x1000; i++)
		bad_rest += ram[i] != 0xaa;
	CHECK(bad_text == 0);
	CHECK(bad_data == 0);
	CHECK(bad_bss == 0);
	CHECK(bad_rest == 0);
	free(ram);
	kernel_image_close(&img);
}

TEST(check_fits)
{
	struct elf_spec s;

	spec_init(&s);
	REQUIRE(open_spec(&s) == 0);
	CHECK(kernel_image_check_fits(&img, LOAD_END, err, sizeof(err)) == 0);
	CHECK(kernel_image_check_fits(&img, 16ULL << 20, err,
				      sizeof(err)) == 0);
	CHECK(kernel_image_check_fits(&img, LOAD_END - 1, err,
				      sizeof(err)) == -EINVAL);
	kernel_image_close(&img);

	/* A 20 MiB image in 16 MiB of RAM. */
	s.ph[1].p_memsz = (20ULL << 20) - 0x2000;
	REQUIRE(open_spec(&s) == 0);
	CHECK(img.load_end == 20ULL << 20);
	CHECK(kernel_image_check_fits(&img, 16ULL << 20, err,
				      sizeof(err)) == -EINVAL);
	CHECK(!strcmp(err, "kernel image needs 20 MiB, --mem gives only 16 MiB (use --mem 20M or more)"));
	CHECK(kernel_image_check_fits(&img, 20ULL << 20, err,
				      sizeof(err)) == 0);
	kernel_image_close(&img);

	/* Part of a MiB counts as a whole one. */
	s.ph[1].p_memsz++;
	REQUIRE(open_spec(&s) == 0);
	CHECK(kernel_image_check_fits(&img, 20ULL << 20, err,
				      sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "needs 21 MiB");
	kernel_image_close(&img);
}

TEST(missing_file)
{
	err[0] = 0;
	CHECK(kernel_image_open("/nonexistent/colinux/vmlinux", &img, err,
				sizeof(err)) == -ENOENT);
	CHECK(img.file == NULL);
	CHECK_HAS(err, "/nonexistent/colinux/vmlinux");
	CHECK_HAS(err, "No such file");
}

TEST(directory)
{
	err[0] = 0;
	CHECK(kernel_image_open("/", &img, err, sizeof(err)) == -EINVAL);
	CHECK(img.file == NULL);
	CHECK_HAS(err, "/: not a regular file");
}

TEST(empty_file)
{
	CHECK(open_buf("", 0) == -ENOEXEC);
	CHECK(img.file == NULL);
	CHECK_HAS(err, path);
	CHECK_HAS(err, ": not an ELF file (build the kernel with `make kernel`)");
}

TEST(not_elf)
{
	static const char text[] = "banana bread recipe\n";

	CHECK(open_buf(text, sizeof(text) - 1) == -ENOEXEC);
	CHECK_HAS(err, path);
	CHECK_HAS(err, "not an ELF file");
	CHECK(open_buf("\177EL", 3) == -ENOEXEC);
	CHECK_HAS(err, "not an ELF file");
}

TEST(shorter_than_header)
{
	struct elf_spec s;

	spec_init(&s);
	s.file_len = 40;
	CHECK_BAD(&s, "truncated: 40 bytes, smaller than an ELF header");
	s.file_len = sizeof(Elf64_Ehdr) - 1;
	CHECK_BAD(&s, "smaller than an ELF header");
}

TEST(wrong_class_endian_version)
{
	struct elf_spec s;

	spec_init(&s);
	s.eh.e_ident[EI_CLASS] = ELFCLASS32;
	CHECK_BAD(&s, "ELF class 1 is not 64-bit");
	spec_init(&s);
	s.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	CHECK_BAD(&s, "not a little-endian ELF file");
	spec_init(&s);
	s.eh.e_ident[EI_VERSION] = 2;
	CHECK_BAD(&s, "ELF version");
	spec_init(&s);
	s.eh.e_version = 7;
	CHECK_BAD(&s, "unknown ELF version 7");
}

TEST(wrong_machine)
{
	struct elf_spec s;

	spec_init(&s);
	s.eh.e_machine = EM_AARCH64;
	CHECK_BAD(&s, ": ELF for machine 183, not x86-64");
	s.eh.e_machine = EM_386;
	CHECK_BAD(&s, "ELF for machine 3, not x86-64");
}

TEST(wrong_type)
{
	struct elf_spec s;

	spec_init(&s);
	s.eh.e_type = ET_DYN;
	CHECK_BAD(&s, "ELF type 3 is not an executable");
	s.eh.e_type = ET_REL;
	CHECK_BAD(&s, "ELF type 1 is not an executable (ET_EXEC)");
}

TEST(wrong_phentsize)
{
	struct elf_spec s;

	spec_init(&s);
	s.eh.e_phentsize = 32;
	CHECK_BAD(&s, "program header entries are 32 bytes, expected 56");
}

TEST(phdr_table_outside_file)
{
	struct elf_spec s;

	spec_init(&s);
	s.eh.e_phoff = 0xffffffffffffff00ULL;
	CHECK_BAD(&s, "program header table");
	s.eh.e_phoff = UINT64_MAX - 10;
	CHECK_BAD(&s, "outside the 1408-byte file");
	s.eh.e_phoff = FILE_LEN;
	CHECK_BAD(&s, "program header table");
	s.eh.e_phoff = FILE_LEN - 8;
	CHECK_BAD(&s, "program header table");

	/* Right offset, but too many entries for the file. */
	spec_init(&s);
	s.eh.e_phnum = 40;
	CHECK_BAD(&s, "40 entries");
	s.eh.e_phnum = 129;
	CHECK_BAD(&s, "too many program headers (129, at most 128");
	s.eh.e_phnum = PN_XNUM;
	CHECK_BAD(&s, "too many program headers");

	/* A table ending exactly at the end of the file is fine. */
	spec_init(&s);
	s.eh.e_phoff = FILE_LEN - 3 * sizeof(Elf64_Phdr);
	{
		unsigned char buf[FILE_LEN];

		spec_build(&s, buf);
		memcpy(buf + s.eh.e_phoff, s.ph, 3 * sizeof(Elf64_Phdr));
		/* Over the data bytes, which only a load would look at. */
		CHECK(open_buf(buf, FILE_LEN) == 0);
		kernel_image_close(&img);
	}
}

TEST(no_program_headers)
{
	struct elf_spec s;

	spec_init(&s);
	s.eh.e_phnum = 0;
	CHECK_BAD(&s, "no PT_LOAD segment");
}

TEST(no_load_segment)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[0].p_type = PT_NULL;
	s.ph[1].p_type = PT_NULL;
	CHECK_BAD(&s, "no PT_LOAD segment");
}

TEST(filesz_over_memsz)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[1].p_memsz = DATA_LEN - 1;
	CHECK_BAD(&s, "segment 1 has 128 file bytes but only 127 memory bytes");
}

TEST(segment_offset_overflow)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[0].p_offset = 0xffffffffffffff00ULL;
	CHECK_BAD(&s, "segment 0: offset 0xffffffffffffff00 + size 0x100 overflows");
	spec_init(&s);
	s.ph[1].p_filesz = UINT64_MAX;
	s.ph[1].p_memsz = UINT64_MAX;
	CHECK_BAD(&s, "overflows");
}

TEST(truncated_file)
{
	struct elf_spec s;

	spec_init(&s);
	s.file_len = FILE_LEN - 0x40;
	CHECK_BAD(&s, ": truncated: segment 1 needs bytes up to 1408, file has 1344");
	s.file_len = DATA_OFF;
	CHECK_BAD(&s, "truncated: segment 1");
	s.file_len = TEXT_OFF + 1;
	CHECK_BAD(&s, "truncated: segment 0 needs bytes up to 1280");

	spec_init(&s);
	s.ph[1].p_offset = 0x10000;
	CHECK_BAD(&s, "truncated: segment 1 needs bytes up to 65664");
}

TEST(note_segment_outside_file)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[2].p_offset = FILE_LEN - 4;
	CHECK_BAD(&s, "truncated: segment 2");
	s.ph[2].p_offset = 0xfffffffffffffff0ULL;
	CHECK_BAD(&s, "segment 2: offset");
}

TEST(vaddr_below_base)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[0].p_vaddr = 0x1000;
	s.eh.e_entry = 0x1010;
	CHECK_BAD(&s, "segment 0 is linked at 0x1000, below guest RAM at 0x40000000");
	spec_init(&s);
	s.ph[1].p_vaddr = COLINUX_PHYS_BASE - 1;
	CHECK_BAD(&s, "below guest RAM");
	/* An ordinary x86-64 kernel is linked at 0xffffffff81000000. */
	spec_init(&s);
	s.ph[0].p_vaddr = 0xffffffff81000000ULL;
	s.eh.e_entry = 0xffffffff81000000ULL;
	CHECK_BAD(&s, "reaches past the end");
}

TEST(vaddr_overflow)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[1].p_vaddr = 0xfffffffffffff000ULL;
	s.ph[1].p_memsz = 0x2000;
	CHECK_BAD(&s, "segment 1 (0xfffffffffffff000, 0x2000 bytes) reaches past");
	spec_init(&s);
	s.ph[1].p_memsz = UINT64_MAX;
	CHECK_BAD(&s, "reaches past");
}

TEST(vaddr_beyond_mem_max)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[1].p_vaddr = COLINUX_PHYS_BASE + COLINUX_MEM_MAX - 0x100;
	CHECK_BAD(&s, "reaches past the end of the largest guest RAM at 0x840000000");

	/* Ending exactly at the top is allowed. */
	spec_init(&s);
	s.ph[1].p_vaddr = COLINUX_PHYS_BASE + COLINUX_MEM_MAX - DATA_MEMSZ;
	REQUIRE(open_spec(&s) == 0);
	CHECK(img.load_end == COLINUX_MEM_MAX);
	kernel_image_close(&img);
}

TEST(overlapping_segments)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[1].p_vaddr = TEXT_VA + 0x80;
	CHECK_BAD(&s, "segments 0 and 1 overlap");
	/* Touching is not overlapping. */
	spec_init(&s);
	s.ph[1].p_vaddr = TEXT_VA + TEXT_LEN;
	REQUIRE(open_spec(&s) == 0);
	kernel_image_close(&img);
}

TEST(entry_outside_exec_segment)
{
	struct elf_spec s;

	spec_init(&s);
	s.eh.e_entry = COLINUX_PHYS_BASE + 0x5000;
	CHECK_BAD(&s, "entry point 0x40005000 is not inside an executable segment");
	s.eh.e_entry = 0;
	CHECK_BAD(&s, "entry point");
	/* Inside, but not executable. */
	s.eh.e_entry = DATA_VA;
	CHECK_BAD(&s, "entry point");
	/* Just past the text. */
	s.eh.e_entry = TEXT_VA + TEXT_LEN;
	CHECK_BAD(&s, "entry point");
	/* In executable bss: zeroes, not code. */
	s.ph[0].p_memsz = 0x200;
	s.eh.e_entry = TEXT_VA + 0x180;
	CHECK_BAD(&s, "entry point");

	/* The very first and last text bytes are fine. */
	spec_init(&s);
	s.eh.e_entry = TEXT_VA;
	REQUIRE(open_spec(&s) == 0);
	kernel_image_close(&img);
	s.eh.e_entry = TEXT_VA + TEXT_LEN - 1;
	REQUIRE(open_spec(&s) == 0);
	CHECK(img.entry == TEXT_VA + TEXT_LEN - 1);
	kernel_image_close(&img);
}

TEST(no_note)
{
	struct elf_spec s;

	spec_init(&s);
	s.ph[2].p_type = PT_NULL;
	CHECK_BAD(&s, ": no coLinux passage note: not a coLinux kernel");
	spec_init(&s);
	s.eh.e_phnum = 2;
	CHECK_BAD(&s, "no coLinux passage note");
	/* Only foreign notes. */
	spec_init(&s);
	s.note_len = 0;
	note_build_id(&s);
	note_seal(&s);
	CHECK_BAD(&s, "no coLinux passage note");
	/* An empty note segment. */
	s.note_len = 0;
	note_seal(&s);
	CHECK_BAD(&s, "no coLinux passage note");
}

TEST(note_lookalikes)
{
	static const uint8_t v1[4] = { 1 };
	struct elf_spec s;

	/* Wrong case, no NUL in namesz, a prefix, wrong type. */
	spec_init(&s);
	s.note_len = 0;
	note_add(&s, "coLinuX", 8, COLINUX_NOTE_PASSAGE, v1, 4, 4);
	note_add(&s, "coLinux", 7, COLINUX_NOTE_PASSAGE, v1, 4, 4);
	note_add(&s, "coLin", 6, COLINUX_NOTE_PASSAGE, v1, 4, 4);
	note_add(&s, "coLinux", 8, COLINUX_NOTE_PASSAGE + 1, v1, 4, 4);
	note_seal(&s);
	CHECK_BAD(&s, "no coLinux passage note");
}

TEST(note_wrong_desc_size)
{
	static const uint8_t v[8] = { 1 };
	struct elf_spec s;

	spec_init(&s);
	s.note_len = 0;
	note_add(&s, "coLinux", 8, COLINUX_NOTE_PASSAGE, v, 8, 4);
	note_seal(&s);
	CHECK_BAD(&s, "coLinux passage note holds 8 bytes, expected 4");
	s.note_len = 0;
	note_add(&s, "coLinux", 8, COLINUX_NOTE_PASSAGE, v, 0, 4);
	note_seal(&s);
	CHECK_BAD(&s, "holds 0 bytes");
}

TEST(note_sizes_past_segment)
{
	struct elf_spec s;
	Elf64_Nhdr nh;

	spec_init(&s);
	memcpy(&nh, s.note, sizeof(nh));
	nh.n_namesz = 0xffffffff;
	memcpy(s.note, &nh, sizeof(nh));
	CHECK_BAD(&s, "segment 2: a note runs past the end of its segment");

	spec_init(&s);
	memcpy(&nh, s.note, sizeof(nh));
	nh.n_descsz = 0xfffffff0;
	memcpy(s.note, &nh, sizeof(nh));
	CHECK_BAD(&s, "runs past the end");

	/* The passage note itself cut short by the segment size. */
	spec_init(&s);
	s.ph[2].p_filesz = s.note_len - 2;
	CHECK_BAD(&s, "runs past the end");
}

TEST(note_segment_variants)
{
	static const uint8_t prop[16] = { 2 };
	static const uint8_t odd[3] = { 9, 9, 9 };
	struct elf_spec s;
	size_t first;

	/* 8-aligned notes, as GNU property notes are laid out. */
	spec_init(&s);
	s.note_len = 0;
	note_add(&s, "GNU", 4, NT_GNU_PROPERTY_TYPE_0, prop, 16, 8);
	note_passage(&s, COLINUX_PASSAGE_VERSION, 8);
	note_seal(&s);
	s.ph[2].p_align = 8;
	REQUIRE(open_spec(&s) == 0);
	kernel_image_close(&img);

	/* The passage note in a second PT_NOTE segment. */
	spec_init(&s);
	s.note_len = 0;
	note_build_id(&s);
	first = s.note_len;
	note_passage(&s, COLINUX_PASSAGE_VERSION, 4);
	s.ph[2].p_filesz = first;
	s.ph[3] = s.ph[2];
	s.ph[3].p_offset = NOTE_OFF + first;
	s.ph[3].p_filesz = s.note_len - first;
	s.eh.e_phnum = 4;
	REQUIRE(open_spec(&s) == 0);
	kernel_image_close(&img);

	/* Trailing padding shorter than a note header is ignored. */
	spec_init(&s);
	s.ph[2].p_filesz = s.note_len + 3;
	REQUIRE(open_spec(&s) == 0);
	kernel_image_close(&img);

	/* A last note without its padding. */
	spec_init(&s);
	note_add(&s, "X", 2, 1, odd, 3, 4);
	note_seal(&s);
	s.ph[2].p_filesz = s.note_len - 1;
	REQUIRE(open_spec(&s) == 0);
	kernel_image_close(&img);
}

TEST(wrong_passage_version)
{
	struct elf_spec s;

	spec_init(&s);
	s.note_len = 0;
	note_passage(&s, COLINUX_PASSAGE_VERSION + 1, 4);
	note_seal(&s);
	{
		char want[128];

		snprintf(want, sizeof(want),
			 ": kernel speaks passage version %u, this monitor speaks %u: rebuild both with `make`",
			 COLINUX_PASSAGE_VERSION + 1, COLINUX_PASSAGE_VERSION);
		CHECK_BAD(&s, want);
	}
	s.note_len = 0;
	note_passage(&s, 0x01000000, 4);	/* byte order matters */
	note_seal(&s);
	CHECK_BAD(&s, "passage version 16777216");
}

TEST(other_segments_ignored)
{
	struct elf_spec s;

	/* Garbage in a PT_GNU_STACK, and an empty PT_LOAD. */
	spec_init(&s);
	s.ph[3] = (Elf64_Phdr){
		.p_type = PT_GNU_STACK, .p_offset = UINT64_MAX,
		.p_vaddr = 1, .p_filesz = UINT64_MAX, .p_memsz = 1,
	};
	s.eh.e_phnum = 4;
	REQUIRE(open_spec(&s) == 0);
	kernel_image_close(&img);

	s.ph[3] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R,
		.p_offset = 0, .p_vaddr = TEXT_VA + 0x10,
	};
	REQUIRE(open_spec(&s) == 0);
	CHECK(img.load_end == LOAD_END);
	kernel_image_close(&img);
}

/*
 * Set every byte of the headers and notes to a few nasty values in turn:
 * whatever kernel_image_open accepts must load into load_end bytes of RAM
 * (run under valgrind or ASan to catch a stray access).
 */
TEST(header_byte_flips)
{
	static const uint8_t vals[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
	unsigned char good[FILE_LEN], buf[FILE_LEN];
	struct elf_spec s;
	size_t pos, v, accepted = 0, refused = 0;

	spec_init(&s);
	spec_build(&s, good);
	for (pos = 0; pos < NOTE_OFF + s.note_len; pos++) {
		for (v = 0; v < sizeof(vals); v++) {
			unsigned char *ram;
			int ret;

			if (good[pos] == vals[v])
				continue;
			memcpy(buf, good, FILE_LEN);
			buf[pos] = vals[v];
			ret = open_buf(buf, FILE_LEN);
			REQUIRE(ret == 0 || ret == -ENOEXEC);
			if (ret) {
				CHECK(img.file == NULL && err[0]);
				refused++;
				continue;
			}
			accepted++;
			ram = malloc(img.load_end);
			REQUIRE(ram);
			kernel_image_load(&img, ram);
			free(ram);
			kernel_image_close(&img);
		}
	}
	CHECK(accepted > 0);
	CHECK(refused > 0);
}

int main(void)
{
	return check_run_all();
}
