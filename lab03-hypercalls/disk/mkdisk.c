/*
 * mkdisk.c: writes the kit's disk image (common/rt/include/kitdisk.h) to
 * the file named by argv[1], with the disk number argv[2] (0 if none) in
 * its header: mkdisk disk.img, mkdisk disk1.img 1. Run at build time
 * (lab03-hypercalls/lab.mk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kitdisk.h"

int main(int argc, char **argv)
{
	unsigned char sector[KIT_DISK_SECTOR_SIZE];
	unsigned long long number = 0;
	char *end = 0;
	if (argc == 3)
		number = strtoull(argv[2], &end, 0);
	if ((argc != 2 && argc != 3) || (end && (*end || end == argv[2]))) {
		fprintf(stderr, "usage: %s <image> [disk number]\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	for (unsigned s = 0; s < KIT_DISK_SECTORS; s++) {
		for (unsigned i = 0; i < sizeof sector; i++)
			sector[i] = kit_disk_byte(s, i);
		if (s == 0) {
			unsigned long long n = KIT_DISK_SECTORS;
			memcpy(sector, KIT_DISK_MAGIC, 8);
			for (unsigned i = 0; i < 8; i++) {
				sector[8 + i] = (unsigned char)(n >> (8 * i));
				sector[KIT_DISK_NUMBER_AT + i] = (unsigned char)(number >> (8 * i));
			}
		}
		if (fwrite(sector, sizeof sector, 1, f) != 1) {
			perror(argv[1]);
			fclose(f);
			return 1;
		}
	}
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
