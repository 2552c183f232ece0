/*
 * mkpack.c: pack guest images into one QEMU initrd for lab03's VMM
 * (vmm/guest_pack.h): mkpack OUT NAME IMAGE ARGS [NAME IMAGE ARGS].
 * ARGS: the guest's bootargs ("" for the machine's /chosen ones).
 *
 * Each VM's name must differ (it is the console prefix; vmm/pack.c refuses
 * a pack with two equal names), but the same kit guest may run twice
 * (GUESTS="virtio virtio"): a name an earlier image already has becomes
 * NAME.i, i the image's place in the pack ("virtio", "virtio.1").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_pack.h"

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "mkpack: %s: %s\n", what, arg);
	exit(1);
}

int main(int argc, char **argv)
{
	struct guest_pack h = { .count = 0 };
	unsigned n = (unsigned)(argc - 2) / 3;
	void *data[GUEST_PACK_MAX];
	uint64_t at = (sizeof h + GUEST_PACK_ALIGN - 1) / GUEST_PACK_ALIGN * GUEST_PACK_ALIGN;

	if (argc < 5 || (argc - 2) % 3 != 0 || n > GUEST_PACK_MAX) {
		fprintf(stderr, "usage: mkpack OUT NAME IMAGE ARGS [NAME IMAGE ARGS] (at most %d images)\n",
			GUEST_PACK_MAX);
		return 2;
	}
	memcpy(h.magic, GUEST_PACK_MAGIC, 8);
	h.count = n;
	for (unsigned i = 0; i < n; i++) {
		const char *name = argv[2 + 3 * i], *path = argv[3 + 3 * i], *args = argv[4 + 3 * i];
		struct guest_pack_entry *e = &h.e[i];
		FILE *f = fopen(path, "rb");
		long len;
		if (!name[0] || strlen(name) >= sizeof e->name)
			die("a name of 1 to 15 characters", name);
		for (unsigned j = 0; j < i; j++)
			if (strcmp(h.e[j].name, name) == 0) {
				static char renamed[GUEST_PACK_MAX][GUEST_PACK_NAME];
				int w = snprintf(renamed[i], sizeof renamed[i], "%s.%u", name, i);
				if (w < 0 || (size_t)w >= sizeof renamed[i])
					die("a name of at most 13 characters when it repeats an earlier "
					    "image's (it becomes NAME.1)", name);
				fprintf(stderr, "mkpack: image %u is named %s (image %u is %s already)\n", i,
					renamed[i], j, name);
				name = renamed[i];
				break;
			}
		for (const char *c = name; *c; c++)
			if (!GUEST_PACK_NAME_CHAR(*c))
				die("a name of letters, digits, '.', '_' and '-' only (it is the console prefix)",
				    name);
		if (strlen(args) >= sizeof e->args)
			die("bootargs too long", args);
		if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0)
			die("cannot read", path);
		data[i] = malloc((size_t)len);
		if (!data[i] || fread(data[i], 1, (size_t)len, f) != (size_t)len)
			die("cannot read", path);
		fclose(f);
		strcpy(e->name, name);
		strcpy(e->args, args);
		e->offset = at;
		e->size = (uint64_t)len;
		at = (at + e->size + GUEST_PACK_ALIGN - 1) / GUEST_PACK_ALIGN * GUEST_PACK_ALIGN;
	}
	FILE *o = fopen(argv[1], "wb");
	if (!o || fwrite(&h, sizeof h, 1, o) != 1)
		die("cannot write", argv[1]);
	for (unsigned i = 0; i < n; i++)
		if (fseek(o, (long)h.e[i].offset, SEEK_SET) != 0 ||
		    fwrite(data[i], 1, h.e[i].size, o) != h.e[i].size)
			die("cannot write", argv[1]);
	if (fclose(o) != 0)
		die("cannot write", argv[1]);
	return 0;
}
