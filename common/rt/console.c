/*
 * console.c: picolibc's stdio on the SBI console. printf() in kit code ends
 * in console_putc(); a program that owns a UART (the VMM) overrides it.
 */
#include <stdio.h>
#include "sbi.h"

__attribute__((weak)) void console_putc(char c)
{
	sbi_console_putchar((unsigned char)c);
}

__attribute__((weak)) int console_getc(void)
{
	return sbi_console_getchar();
}

static int kit_putc(char c, FILE *f)
{
	(void)f;
	if (c == '\n')
		console_putc('\r');
	console_putc(c);
	return (unsigned char)c;
}

static int kit_getc(FILE *f)
{
	(void)f;
	int c;
	while ((c = console_getc()) < 0)
		;
	return c;
}

static FILE kit_console = FDEV_SETUP_STREAM(kit_putc, kit_getc, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &kit_console;
FILE *const stdout = &kit_console;
FILE *const stderr = &kit_console;
