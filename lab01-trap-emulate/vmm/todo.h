/* todo.h: what a starter stub calls until the student writes the function. */
#ifndef VMM_TODO_H
#define VMM_TODO_H

/* Prints "vmm: TODO: <fn> is not implemented yet (see <where>)" once per fn. */
void kit_todo(const char *fn, const char *where);
#define TODO(fn, where) kit_todo((fn), (where))

#endif
