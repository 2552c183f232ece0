/*
 * stdint.h for init.c (linux.mk puts this directory first): nolibc's
 * std.h, included before anything else (-include nolibc.h), already
 * defines the fixed-width types; GCC's own stdint.h would define them
 * again, differently (uint64_t as unsigned long), or look for a C
 * library's (include_next) that a nolibc build does not have.
 */
#ifndef KIT_NOLIBC_STDINT_H
#define KIT_NOLIBC_STDINT_H
#endif
