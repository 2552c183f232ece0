/*
 * mem.c: memcpy, memmove and memset for the bare-metal VMM, a doubleword
 * at a time where both addresses allow it. picolibc's, as Debian builds
 * it for rv64imac, copy a byte at a time: staging and loading a 1.6 MB
 * Linux image then cost about 19 M instructions, more than half of what
 * Linux itself runs to init (lab02 README, measured with -icount). The
 * linker takes these before libc's (objects come before archives).
 *
 * Built without GCC's loop-to-libcall transformation: these loops must
 * not become calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>

#define WORD sizeof(uint64_t)
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

static int aligned(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & (WORD - 1)) == 0;
}

NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (aligned(d, s)) {
		for (; n && ((uintptr_t)d & (WORD - 1)); n--)
			*d++ = *s++;
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	/* forward unless dst overlaps the part of src still to be read */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n);
	d += n;
	s += n;
	if (aligned(d, s)) {
		for (; n && ((uintptr_t)d & (WORD - 1)); n--)
			*--d = *--s;
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t w = (uint8_t)c * 0x0101010101010101ULL;

	for (; n && ((uintptr_t)d & (WORD - 1)); n--)
		*d++ = (uint8_t)c;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(uint64_t *)(void *)d = w;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}
