/* todo.c: the message of a starter stub, once per function. */
#include <stdio.h>
#include <string.h>

#include "todo.h"

void kit_todo(const char *fn, const char *where)
{
	static const char *said[32];
	unsigned i;

	for (i = 0; i < sizeof said / sizeof said[0] && said[i]; i++)
		if (strcmp(said[i], fn) == 0)
			return;
	if (i < sizeof said / sizeof said[0])
		said[i] = fn;
	printf("vmm: TODO: %s is not implemented yet (see %s)\n", fn, where);
}
